from sfms_shared.cli import run_service

from intake.config import Settings
from intake.main import create_app

run_service("intake", Settings, create_app)
