from sfms_shared.cli import run_service

from settlement.config import Settings
from settlement.main import create_app

run_service("settlement", Settings, create_app)
