from sfms_shared.migrations import run_migrations

from settlement.models import metadata

run_migrations(metadata)
