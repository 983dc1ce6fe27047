from sfms_shared.cli import run_service

from matching.config import Settings
from matching.main import create_app

run_service("matching", Settings, create_app)
