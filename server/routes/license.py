"""This machine's license: its state, entering a key, refreshing, letting go.

Every answer carries the license view (state, plan, expiry, grace left,
which features are on and why). A refusal is a 4xx or 503 with a stable
code the PWA turns into words; the app keeps working whatever happens here.
"""

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.params import JSONBody

from license.client import Result
from license.keys import KeyFormatError

from ..errors import ApiError
from ..licensing import Licensing

# Signed answers from the service that refuse what was asked, in words.
_REFUSALS = {
    "NOT_FOUND": "There is no license with that key. Check it against your receipt.",
    "SUSPENDED": "This license is suspended. Contact the person who manages it.",
    "EXPIRED": "This license has expired. Renew it to turn Pro features back on.",
    "REVOKED": "This license was revoked.",
    "MACHINE_LIMIT_EXCEEDED": "This license is active on as many machines as it allows. "
                              "Deactivate one of them first.",
    "TOO_MANY_MACHINES": "This license is active on as many machines as it allows.",
    "FINGERPRINT_TAKEN": "This machine is already bound to another license.",
    "DEACTIVATIONS_LIMIT_EXCEEDED": "This license has moved between machines too often lately. "
                                    "Try again later or contact support.",
    "SEAT_NOT_ASSIGNED": "Your organisation has not given you a seat on this license yet.",
    "FINGERPRINT_SCOPE_MISMATCH": "This license belongs to another machine.",
    "NO_MACHINE": "This machine is not activated on that license.",
    "not_in_plan": "This lease is not for an offline license file.",
    "revision_replayed": "That is an older lease than the one already in use.",
}


class LicenseKey(msgspec.Struct):
    key: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class LeaseFile(msgspec.Struct):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=16384)]


def _licensing(request: Request) -> Licensing:
    return request.app.state.licensing


def _answer(licensing: Licensing, result: Result) -> dict[str, Any]:
    if result.ok:
        return {**licensing.view(), "result": result.code}
    code = result.code
    if code == "offline":
        raise ApiError(409, "license_checks_off", "License checks are turned off in the settings "
                       "(license_checks), so JobDeck cannot reach the license service.")
    if code == "unreachable":
        raise ApiError(503, "license_service_unreachable",
                       "The license service could not be reached. Check your connection and try "
                       "again; JobDeck keeps working in the meantime.")
    if code == "no_key":
        raise ApiError(409, "no_license", "No license key has been entered on this machine.")
    if code in _REFUSALS:
        raise ApiError(409, code.lower(), _REFUSALS[code], details={"license": licensing.view()})
    # Anything else is an answer that did not verify: never trusted, never applied.
    raise ApiError(502, "license_answer_untrusted",
                   f"The license service's answer could not be verified ({code}); nothing was "
                   "changed. A proxy or firewall may be rewriting it.")


class LicenseController(Controller):
    path = "/api/v1/license"
    tags = ["license"]

    @get(summary="This machine's license: state, plan, expiry, grace, features on and off")
    async def show(self, request: Request) -> dict[str, Any]:
        return _licensing(request).view()

    @post(summary="Activate this machine with a license key", status_code=200)
    async def activate(self, request: Request, data: JSONBody[LicenseKey]) -> dict[str, Any]:
        licensing = _licensing(request)
        try:
            result = await licensing.activate(data.key)
        except KeyFormatError as exc:
            raise ApiError(400, "invalid_key", str(exc), details={"reason": exc.code}) from exc
        return _answer(licensing, result)

    @post("/refresh", summary="Check the license with the service now", status_code=200)
    async def refresh(self, request: Request) -> dict[str, Any]:
        licensing = _licensing(request)
        return _answer(licensing, await licensing.refresh())

    @post("/lease", summary="Use a lease from a file (offline license, Enterprise)", status_code=200)
    async def import_lease(self, request: Request, data: JSONBody[LeaseFile]) -> dict[str, Any]:
        licensing = _licensing(request)
        result = await licensing.client.import_lease(data.token.strip())
        if not result.ok and result.code not in _REFUSALS:
            # A file the user chose, not an answer on the wire: a bad one is their input.
            raise ApiError(400, "invalid_lease", f"That file is not a valid JobDeck lease for this "
                           f"machine ({result.code}).", details={"reason": result.code})
        return _answer(licensing, result)

    @delete(summary="Deactivate this machine, freeing its seat", status_code=200)
    async def deactivate(self, request: Request) -> dict[str, Any]:
        licensing = _licensing(request)
        return _answer(licensing, await licensing.deactivate())
