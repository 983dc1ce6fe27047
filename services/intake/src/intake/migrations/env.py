from sfms_shared.migrations import run_migrations

from intake.models import metadata

run_migrations(metadata)
