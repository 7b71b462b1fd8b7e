"""One controller per resource, all under /api/v1 but the login exchange."""

from .health import health
from .session import SessionController
from .tokens import TokenController

__all__ = ["API_ROUTES"]

API_ROUTES = [health, SessionController, TokenController]
