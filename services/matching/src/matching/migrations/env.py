from sfms_shared.migrations import run_migrations

from matching.models import metadata

run_migrations(metadata)
