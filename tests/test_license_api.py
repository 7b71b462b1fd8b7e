"""/api/v1/license: the app's license through its API, its events and its gate.

The server trusts the test signing keys through the ``license_keys``
setting (as a self-hosted service would be trusted) and talks to the
stand-in service through the ``license_transport`` hook.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterator

import pytest
from litestar.testing import TestClient

from license.keys import generate_key
from license.lease import public_key_text
from server.app import create_app
from server.home import prepare_home
from server.settings import load_settings
from tests.conftest import BASE_URL
from tests.license.fakes import KID, NEXT_KID, NEXT_SIGNER, SIGNER, Clock, FakeService

KEY = generate_key()


@pytest.fixture
def service() -> FakeService:
    return FakeService(Clock(time.time()))


def _client(home: Path, service: FakeService, **overrides) -> TestClient:
    values = {"home": str(home), "port": 8765, "open_browser": False,
              "license_keys": [f"{KID}={public_key_text(SIGNER)}",
                               f"{NEXT_KID}={public_key_text(NEXT_SIGNER)}"], **overrides}
    settings = load_settings(values, environ={}, config_file=home / "absent.toml")
    prepare_home(settings.home_path)
    app = create_app(settings, license_transport=service)
    client = TestClient(app, base_url=BASE_URL)
    client.headers["Authorization"] = f"Bearer {app.state.internal_secret}"
    return client


@pytest.fixture
def api(tmp_path: Path, service: FakeService) -> Iterator[TestClient]:
    with _client(tmp_path / "home", service) as client:
        yield client


def test_a_new_install_is_free_and_says_which_features_are_off(api, service):
    view = api.get("/api/v1/license").json()
    assert view["state"] == "UNLICENSED" and view["plan"] == "free" and not view["paid"]
    assert view["features"]["insights.salary"] == {"on": False, "reason": "unlicensed"}
    assert service.requests == []  # no key: the service is never asked


def test_activation_turns_pro_features_on_and_survives_a_restart(tmp_path, service):
    home = tmp_path / "home"
    with _client(home, service) as api:
        answer = api.post("/api/v1/license", json={"key": KEY.lower().replace("-", " ")})
        assert answer.status_code == 200, answer.text
        view = answer.json()
        assert view["state"] == "ACTIVE" and view["plan"] == "pro" and view["result"] == "ok"
        assert view["keyPrefix"] and KEY not in answer.text  # the key never comes back
        assert view["features"]["tracking.unlimited"]["on"]
        assert not view["features"]["sso"]["on"]  # Enterprise only
        assert api.app.state.entitlements.check("insights.salary").on
    path, request = service.requests[-1]
    assert path == "/v1/activate" and request["key"] == KEY
    assert request["fingerprint"].startswith("fp1.")  # only hashes leave the machine

    service.unreachable()  # a restart while offline: the stored lease still counts
    with _client(home, service) as api:
        assert api.get("/api/v1/license").json()["state"] == "ACTIVE"


def test_a_mistyped_key_is_refused_before_any_network_call(api, service):
    answer = api.post("/api/v1/license", json={"key": KEY[:-1]})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_key"
    assert service.requests == []


def test_an_unreachable_service_is_a_503_and_changes_nothing(api, service):
    service.unreachable()
    answer = api.post("/api/v1/license", json={"key": KEY})
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "license_service_unreachable"
    assert api.get("/api/v1/license").json()["state"] == "UNLICENSED"


def test_a_signed_refusal_is_explained(api, service):
    service.deny("MACHINE_LIMIT_EXCEEDED")
    answer = api.post("/api/v1/license", json={"key": KEY})
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "machine_limit_exceeded" and "Deactivate" in error["message"]


def test_an_unsigned_valid_from_a_proxy_is_not_trusted(api, service):
    service.raw(200, b'{"valid": true, "plan": "enterprise"}')
    answer = api.post("/api/v1/license", json={"key": KEY})
    assert answer.status_code == 502 and answer.json()["error"]["code"] == "license_answer_untrusted"
    assert not api.app.state.entitlements.check("insights.salary").on


def test_a_signed_revocation_turns_features_off_at_once_and_is_announced(api, service):
    assert api.post("/api/v1/license", json={"key": KEY}).status_code == 200
    broker = api.app.state.broker
    seen = []
    broker.publish = lambda event, data: seen.append((event, data["state"]))
    service.deny("REVOKED", status="revoked")
    answer = api.post("/api/v1/license/refresh")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "revoked"
    view = api.get("/api/v1/license").json()
    assert view["state"] == "REVOKED" and not view["features"]["tracking.unlimited"]["on"]
    assert ("license.changed", "REVOKED") in seen


def test_deactivation_frees_the_seat_and_returns_to_free(api, service):
    assert api.post("/api/v1/license", json={"key": KEY}).status_code == 200
    service.deny("DEACTIVATED")
    answer = api.delete("/api/v1/license")
    assert answer.status_code == 200 and answer.json()["state"] == "UNLICENSED"
    assert service.requests[-1][0] == "/v1/deactivate"


def test_deactivating_without_a_license_is_a_clear_409(api):
    answer = api.delete("/api/v1/license")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "no_license"


def test_with_checks_off_the_service_is_never_contacted(tmp_path, service):
    with _client(tmp_path / "home", service, license_checks=False) as api:
        answer = api.post("/api/v1/license", json={"key": KEY})
        assert answer.status_code == 409 and answer.json()["error"]["code"] == "license_checks_off"
    assert service.requests == []


def test_an_offline_lease_file_needs_the_enterprise_entitlement(api, service):
    request = {"nonce": "file", "fingerprint": "", "installId": ""}
    binding = api.app.state.licensing.client._binding  # the file is made for this machine
    request.update(fingerprint=binding.fingerprint, installId=binding.install_id)
    pro_lease = service.signed(request)
    answer = api.post("/api/v1/license/lease", json={"token": pro_lease})
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "not_in_plan"
    from license.entitlements import ENTERPRISE

    enterprise = service.signed(request, plan="enterprise", entitlements=ENTERPRISE, rev=2)
    answer = api.post("/api/v1/license/lease", json={"token": enterprise})
    assert answer.status_code == 200 and answer.json()["plan"] == "enterprise"


def test_a_lease_file_that_is_not_a_lease_is_a_400(api):
    answer = api.post("/api/v1/license/lease", json={"token": "v1.not.a-lease"})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_lease"
