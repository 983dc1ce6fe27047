from sfms_shared.migrations import run_migrations

from eligibility.models import metadata

run_migrations(metadata)
