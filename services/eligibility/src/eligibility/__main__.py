from sfms_shared.cli import run_service

from eligibility.config import Settings
from eligibility.main import create_app

run_service("eligibility", Settings, create_app)
