from scoring.config import Settings
from scoring.main import create_app
from sfms_shared.cli import run_service

run_service("scoring", Settings, create_app)
