from eligibility.config import Settings
from eligibility.main import create_app
from sfms_shared.cli import run_service

run_service("eligibility", Settings, create_app)
