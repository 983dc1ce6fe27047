from intake.config import Settings
from intake.main import create_app
from sfms_shared.cli import run_service

run_service("intake", Settings, create_app)
