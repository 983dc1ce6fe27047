from sfms_shared.cli import run_service

from scoring.config import Settings
from scoring.main import create_app

run_service("scoring", Settings, create_app)
