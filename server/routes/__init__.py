"""One controller per resource, all under /api/v1 but the login exchange."""

from .alerts import AlertController
from .applications import ApplicationController, TrackingController
from .backups import BackupController
from .events import events
from .health import health
from .insights import InsightController
from .jobs import JobController
from .license import LicenseController
from .preferences import PreferenceController
from .resumes import ResumeController
from .runs import RunController
from .searches import SearchController
from .session import SessionController
from .sync import SyncController
from .tokens import TokenController
from .transfer import TransferController

__all__ = ["API_ROUTES"]

API_ROUTES = [health, events, SessionController, TokenController, RunController, JobController,
              SearchController, TransferController, SyncController, LicenseController]
API_ROUTES += [PreferenceController, BackupController]
API_ROUTES += [ApplicationController, TrackingController]
API_ROUTES += [InsightController, ResumeController]
API_ROUTES += [AlertController]
