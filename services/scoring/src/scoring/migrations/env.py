from sfms_shared.migrations import run_migrations

from scoring.models import metadata

run_migrations(metadata)
