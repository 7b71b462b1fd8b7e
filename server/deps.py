"""What route handlers may ask for by name (provided in ``create_app``)."""

from litestar.di import NamedDependency

from .db import Database as _Database
from .settings import Settings as _Settings

__all__ = ["Db", "AppSettings"]

Db = NamedDependency[_Database]
AppSettings = NamedDependency[_Settings]
