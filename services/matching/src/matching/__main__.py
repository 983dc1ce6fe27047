from matching.config import Settings
from matching.main import create_app
from sfms_shared.cli import run_service

run_service("matching", Settings, create_app)
