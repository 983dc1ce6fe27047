from settlement.config import Settings
from settlement.main import create_app
from sfms_shared.cli import run_service

run_service("settlement", Settings, create_app)
