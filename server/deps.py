"""What route handlers may ask for by name (provided in ``create_app``)."""

from litestar.di import NamedDependency

from .db import Database as _Database
from .entitlements import Entitlements as _Entitlements
from .settings import Settings as _Settings

__all__ = ["Db", "AppSettings", "Gate", "Blocked"]

Db = NamedDependency[_Database]
AppSettings = NamedDependency[_Settings]
Gate = NamedDependency[_Entitlements]  # the feature gate: ``gate.require("tracking.unlimited")``
Blocked = NamedDependency[tuple[str, ...]]  # the company blocklist as company keys (read per request)
