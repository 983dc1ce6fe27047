from gateway.models import metadata
from sfms_shared.migrations import run_migrations

run_migrations(metadata)
