import uvicorn

from gateway.config import Settings
from gateway.main import create_app
from sfms_shared.logging import configure_logging

settings = Settings()
configure_logging(settings.service_name, settings.log_level)
uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)
