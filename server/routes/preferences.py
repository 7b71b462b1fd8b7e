"""The user's preferences: search defaults, proxies, company blocklist, language.

``PATCH`` changes only the fields it names; ``null`` puts a field back to its
default. A bad value is a 400 naming the field (``error.details.field``), and
nothing of that request is saved.
"""

from typing import Annotated, Any

import msgspec
from litestar import Controller, get, patch
from litestar.params import JSONBody

from ..clock import now
from ..db import preferences as prefs
from ..deps import AppSettings, Db
from ..errors import ApiError
from ..settings import Settings

__all__ = ["PreferenceController", "Preferences", "PreferencesPatch"]

_Names = Annotated[list[Annotated[str, msgspec.Meta(max_length=1_000)]], msgspec.Meta(max_length=5_000)]


class Preferences(msgspec.Struct, rename="camel"):
    default_boards: list[str]
    default_country: str
    default_results: int
    proxies: list[str]  # set here, passwords shown as ***; send them back as they are to keep them
    company_blocklist: list[str]  # set here
    language: str | None  # None: the browser's language
    config_blocklist: list[str]  # from the config file or environment: always applied
    config_proxies: int  # how many proxies the config file sets (used when none are set here)


class PreferencesPatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    default_boards: Annotated[list[Annotated[str, msgspec.Meta(max_length=40)]],
                              msgspec.Meta(max_length=50)] | None | msgspec.UnsetType = msgspec.UNSET
    default_country: Annotated[str, msgspec.Meta(max_length=100)] | None | msgspec.UnsetType = msgspec.UNSET
    default_results: int | None | msgspec.UnsetType = msgspec.UNSET
    proxies: _Names | None | msgspec.UnsetType = msgspec.UNSET
    company_blocklist: _Names | None | msgspec.UnsetType = msgspec.UNSET
    language: Annotated[str, msgspec.Meta(max_length=10)] | None | msgspec.UnsetType = msgspec.UNSET


def view(stored: dict[str, Any], settings: Settings) -> Preferences:
    def value(key: str) -> Any:
        return stored[key] if key in stored else prefs.DEFAULTS[key]

    return Preferences(
        default_boards=value("default_boards"),
        default_country=stored.get("default_country") or settings.default_country,
        default_results=value("default_results"),
        proxies=[prefs.redact_proxy(p) for p in value("proxies")],
        company_blocklist=value("company_blocklist"),
        language=value("language"),
        config_blocklist=prefs.merge_names(settings.company_blocklist),
        config_proxies=len(settings.proxies),
    )


def _apply(conn, changes: dict[str, Any], stamp: int) -> dict[str, Any]:
    stored = prefs.read_preferences(conn)
    prefs.write_preferences(conn, prefs.normalise(changes, stored), stamp)
    return prefs.read_preferences(conn)


class PreferenceController(Controller):
    path = "/api/v1/preferences"
    tags = ["preferences"]

    @get(summary="Search defaults, proxies (passwords masked), company blocklist and language")
    async def get_preferences(self, db: Db, settings: AppSettings) -> Preferences:
        return view(await db.run_read(prefs.read_preferences), settings)

    @patch(summary="Change some preferences; null puts one back to its default. All or nothing")
    async def update_preferences(self, db: Db, settings: AppSettings,
                                 data: JSONBody[PreferencesPatch]) -> Preferences:
        changes = {key: getattr(data, key) for key in prefs.KEYS
                   if getattr(data, key) is not msgspec.UNSET}
        try:
            stored = await db.run_write(_apply, changes, now())
        except prefs.PreferenceError as exc:
            raise ApiError(400, "invalid", str(exc), {"field": exc.field}) from None
        return view(stored, settings)
