from gateway.config import Settings
from gateway.main import create_app
from sfms_shared.cli import run_service

run_service("gateway", Settings, create_app)
