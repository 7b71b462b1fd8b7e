"""One controller per resource, all under /api/v1 but the login exchange."""

from .events import events
from .health import health
from .jobs import JobController
from .runs import RunController
from .session import SessionController
from .tokens import TokenController

__all__ = ["API_ROUTES"]

API_ROUTES = [health, events, SessionController, TokenController, RunController, JobController]
