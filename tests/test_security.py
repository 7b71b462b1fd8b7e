"""One test per attack in the design's SECURITY.md that applies to the local server."""

from __future__ import annotations

import asyncio
import re
import shutil
import time
from pathlib import Path

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.assets import Assets, find_pwa_dir
from server.db import Database
from server.db.credentials import create_login_token, hash_secret
from server.home import prepare_home
from server.settings import load_settings
from tests.conftest import BASE_URL, TEST_PORT

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def on_db(settings, work):
    """Use the app's database from outside, as the CLI does (its own connections)."""
    async def run():
        db = Database(settings.database_path)
        await db.open()
        try:
            return await work(db)
        finally:
            await db.close()
    return asyncio.run(run())


def in_db(settings, sql: str, params: tuple = ()) -> None:
    async def write(db: Database) -> None:
        async with db.write() as conn:
            await conn.execute(sql, params)
    on_db(settings, write)


def login_token(settings) -> str:
    return on_db(settings, create_login_token)


def sign_in(anon: TestClient, settings) -> str:
    """The one-time login, as the browser does it; returns the session cookie's value."""
    response = anon.get(f"/login?token={login_token(settings)}", follow_redirects=False)
    assert response.status_code in (302, 303), response.text
    anon.cookies.clear()  # every test below sends its cookie explicitly
    match = re.match(r"jobdeck_session=([^;]+)", response.headers["set-cookie"])
    assert match
    return match.group(1)


def cookie(value: str) -> dict[str, str]:
    return {"Cookie": f"jobdeck_session={value}"}


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"]["code"] == code and len(body["error"]["message"]) > 10


# -- DNS rebinding: the Host header --------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1:9999", "localhost",
                                  "127.0.0.1.evil.example:8765", "0.0.0.0:8765", ""])
@pytest.mark.parametrize("path", ["/api/v1/health", "/", "/schema"])
def test_a_foreign_host_is_refused(anon, host, path):
    response = anon.get(path, headers={"Host": host})
    assert_error(response, 400, "bad_host")


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "LOCALHOST:8765"])
def test_our_own_names_are_accepted(anon, host):
    assert anon.get("/api/v1/health", headers={"Host": host}).status_code == 200


def test_configured_names_join_the_allowlist(tmp_path):
    settings = load_settings({"home": str(tmp_path / "h"), "port": TEST_PORT, "allowed_hosts": "desk.lan"},
                             environ={}, config_file=tmp_path / "absent.toml")
    prepare_home(settings.home_path)
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        assert client.get("/api/v1/health", headers={"Host": f"desk.lan:{TEST_PORT}"}).status_code == 200
        assert client.get("/api/v1/health", headers={"Host": "other.lan:8765"}).status_code == 400


async def raw_request(app, headers: list[tuple[bytes, bytes]], path: str = "/api/v1/health") -> tuple[int, bytes]:
    """Straight into the ASGI app: a test client always adds a Host of its own."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "headers": headers, "client": ("127.0.0.1", 50000),
             "server": ("127.0.0.1", TEST_PORT)}
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def test_a_missing_host_is_refused_whatever_the_forwarded_headers_say(app):
    forwarded = [(b"x-forwarded-host", b"localhost:8765"), (b"x-forwarded-for", b"127.0.0.1"),
                 (b"forwarded", b"host=localhost:8765")]
    for headers in (forwarded, [(b"x-forwarded-host", b"localhost")], []):
        assert (await raw_request(app, headers))[0] == 400
    # The same call with our Host is answered: the refusals above are the Host's doing.
    assert (await raw_request(app, [(b"host", b"127.0.0.1:8765")]))[0] == 200


async def test_a_foreign_host_with_a_forwarded_host_of_ours_is_refused(app):
    status, _ = await raw_request(app, [(b"host", b"evil.example"), (b"x-forwarded-host", b"127.0.0.1:8765")])
    assert status == 400


async def test_two_host_headers_are_refused(app):
    for pair in ([b"127.0.0.1:8765", b"evil.example"], [b"evil.example", b"127.0.0.1:8765"],
                 [b"127.0.0.1:8765", b"127.0.0.1:8765"]):
        status, _ = await raw_request(app, [(b"host", value) for value in pair])
        assert status == 400, pair


# -- cross-site requests -------------------------------------------------------

@pytest.fixture
def session(anon, settings) -> str:
    return sign_in(anon, settings)


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},  # another app on localhost, another port
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://127.0.0.1:8765"},
    {"Origin": "http://evil.example"},
    {"Origin": "http://127.0.0.1:9999"},
    {"Origin": "null"},
    {},
], ids=["cross-site", "same-site", "lying-origin", "foreign-origin", "other-port", "null-origin", "neither"])
def test_a_cross_site_post_with_the_user_s_cookie_is_refused(anon, session, headers):
    response = anon.post("/api/v1/tokens", json={"name": "stolen"}, headers={**cookie(session), **headers})
    assert_error(response, 403, "cross_site")
    assert anon.get("/api/v1/tokens", headers=cookie(session)).json() == []


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_every_unsafe_method_is_guarded(anon, session, method):
    response = anon.request(method, "/api/v1/tokens/1", headers={**cookie(session), "Sec-Fetch-Site": "cross-site"})
    assert_error(response, 403, "cross_site")


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "none"},
                                     {"Origin": BASE_URL}, {"Origin": "http://localhost:8765"}])
def test_a_same_origin_post_is_allowed(anon, session, headers):
    response = anon.post("/api/v1/tokens", json={"name": "mine"}, headers={**cookie(session), **headers})
    assert response.status_code == 201, response.text


def test_a_bearer_request_is_judged_by_its_token(anon, app):
    cross = {"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"}
    good = {"Authorization": f"Bearer {app.state.internal_secret}"}
    assert anon.post("/api/v1/tokens", json={"name": "script"}, headers={**good, **cross}).status_code == 201
    bad = {"Authorization": "Bearer not-a-token"}
    assert_error(anon.post("/api/v1/tokens", json={"name": "x"}, headers={**bad, **cross}), 401, "unauthenticated")


# -- authentication ------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("GET", "/api/v1/jobs"), ("GET", "/api/v1/jobs/1"), ("GET", "/api/v1/tokens"), ("GET", "/api/v1/runs"),
    ("GET", "/api/v1/searches"), ("GET", "/api/v1/export"), ("GET", "/api/v1/events"), ("GET", "/api/v1/sync"),
    ("GET", "/api/v1/nope"), ("POST", "/api/v1/demo"), ("POST", "/api/v1/tokens"), ("DELETE", "/api/v1/tokens/1"),
    ("GET", "//api/v1/tokens"), ("GET", "/api//v1/tokens/"), ("POST", "//api/v1/tokens"),
])
def test_unauthenticated_api_calls_are_401_with_the_error_shape(anon, method, path):
    response = anon.request(method, "http://127.0.0.1:8765" + path, headers=SAME_ORIGIN)
    assert_error(response, 401, "unauthenticated")


def test_unknown_expired_or_garbage_credentials_are_401(anon, settings):
    expired = "expired-session-secret"
    in_db(settings, "INSERT INTO sessions (token_hash, created_at, expires_at) VALUES (?, 0, ?)",
          (hash_secret(expired), int(time.time()) - 1))
    for headers in (cookie(expired), cookie("x" * 500), cookie(""), {"Authorization": "Bearer "},
                    {"Authorization": "Bearer " + "y" * 5000}, {"Authorization": "Basic dXNlcjpwYXNz"}):
        assert_error(anon.get("/api/v1/tokens", headers=headers), 401, "unauthenticated")


def test_a_read_only_token_cannot_write(client, anon):
    created = client.post("/api/v1/tokens", json={"name": "reader", "scopes": ["read"]}).json()
    reader = {"Authorization": f"Bearer {created['secret']}"}
    del anon.headers["Authorization"]
    assert anon.get("/api/v1/tokens", headers=reader).status_code == 200
    assert_error(anon.post("/api/v1/tokens", json={"name": "more"}, headers=reader), 403, "forbidden")
    assert_error(anon.delete(f"/api/v1/tokens/{created['token']['id']}", headers=reader), 403, "forbidden")


def test_a_revoked_token_is_refused(client, anon):
    created = client.post("/api/v1/tokens", json={"name": "old"}).json()
    bearer = {"Authorization": f"Bearer {created['secret']}"}
    assert client.delete(f"/api/v1/tokens/{created['token']['id']}").status_code == 204
    del anon.headers["Authorization"]
    assert_error(anon.get("/api/v1/tokens", headers=bearer), 401, "unauthenticated")


def test_the_one_time_login_sets_a_strict_httponly_cookie_and_cannot_be_replayed(anon, settings):
    token = login_token(settings)
    first = anon.get(f"/login?token={token}", follow_redirects=False)
    assert first.status_code in (302, 303) and first.headers["location"] == "/"
    set_cookie = first.headers["set-cookie"]
    attributes = {part.strip().lower() for part in set_cookie.split(";")}
    assert set_cookie.startswith("jobdeck_session=")
    assert "httponly" in attributes and "samesite=strict" in attributes and "path=/" in attributes
    anon.cookies.clear()

    replay = anon.get(f"/login?token={token}", follow_redirects=False)
    assert replay.status_code in (302, 303) and "signin=expired" in replay.headers["location"]
    assert "set-cookie" not in replay.headers


@pytest.mark.parametrize("token", ["", "wrong", "z" * 129])
def test_a_wrong_login_token_sets_no_cookie(anon, token):
    response = anon.get(f"/login?token={token}", follow_redirects=False)
    assert "signin=expired" in response.headers["location"] and "set-cookie" not in response.headers


def test_an_expired_login_token_fails(anon, settings):
    secret = "an-old-login-token"
    in_db(settings, "INSERT INTO login_tokens (token_hash, expires_at) VALUES (?, ?)",
          (hash_secret(secret), int(time.time()) - 1))
    response = anon.get(f"/login?token={secret}", follow_redirects=False)
    assert "signin=expired" in response.headers["location"] and "set-cookie" not in response.headers


def test_the_session_cookie_authenticates_until_logout(anon, session):
    assert anon.get("/api/v1/tokens", headers=cookie(session)).status_code == 200
    out = anon.post("/api/v1/logout", headers={**cookie(session), **SAME_ORIGIN})
    assert out.status_code == 204
    assert "jobdeck_session=" in out.headers["set-cookie"] and "max-age=0" in out.headers["set-cookie"].lower()
    assert_error(anon.get("/api/v1/tokens", headers=cookie(session)), 401, "unauthenticated")


# -- bounded input, headers, no CORS ------------------------------------------

def test_an_oversized_body_is_413(tmp_path):
    settings = load_settings({"home": str(tmp_path / "h"), "port": TEST_PORT, "max_body_bytes": 1000},
                             environ={}, config_file=tmp_path / "absent.toml")
    prepare_home(settings.home_path)
    app = create_app(settings)
    with TestClient(app, base_url=BASE_URL) as client:
        client.headers["Authorization"] = f"Bearer {app.state.internal_secret}"
        assert_error(client.post("/api/v1/import?format=csv", content=b"x" * 1001), 413, "body_too_large")
        chunks = (b"y" * 100 for _ in range(20))  # no Content-Length: counted as it arrives
        assert client.post("/api/v1/import?format=csv", content=chunks).status_code == 413
        assert_error(client.post("/api/v1/import", content=b"x", headers={"Content-Length": "-5"}),
                     413, "body_too_large")
        assert client.post("/api/v1/import?format=csv", content=b"id,site,title\n").status_code == 200


@pytest.mark.parametrize("path", ["/", "/index.html", "/api/v1/health", "/api/v1/tokens", "/api/v1/nope", "/sw.js"])
def test_protective_headers_on_pages_and_api(anon, path):
    headers = anon.get(path).headers
    csp = headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'" and directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("method", ["GET", "OPTIONS"])
def test_no_cors_headers(anon, method):
    evil = {"Origin": "http://evil.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization"}
    for path in ("/api/v1/health", "/api/v1/tokens", "/"):
        response = anon.request(method, path, headers=evil)
        assert not [h for h in response.headers if h.lower().startswith("access-control-")], path


def test_the_api_reference_is_served_from_local_files(anon):
    page = anon.get("/schema")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert re.search(r'<script src="/vendor/rapidoc/rapidoc-min\.js"', page.text)
    external = re.findall(r'(?:src|href)\s*=\s*["\']?((?:https?:)?//[^"\'\s>]+)', page.text)
    assert external == [], f"the API reference loads {external}: it would break offline"
    script = anon.get("/vendor/rapidoc/rapidoc-min.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    document = anon.get("/schema/openapi.json").json()
    assert document["openapi"].startswith("3.") and "/api/v1/health" in document["paths"]


def test_the_service_worker_is_never_cached_and_carries_the_release(anon, app):
    response = anon.get("/sw.js")
    assert response.status_code == 200 and "javascript" in response.headers["content-type"]
    assert "no-cache" in response.headers["cache-control"]
    version = app.state.assets.version
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert f'const VERSION = "{version}";' in response.text


def test_any_changed_asset_gives_a_new_release(tmp_path):
    copy = tmp_path / "pwa"
    shutil.copytree(find_pwa_dir(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = Assets.scan(copy)
    assert Assets.scan(copy).version == before.version
    (copy / "app.css").write_text((copy / "app.css").read_text() + "\n/* next release */\n")
    assert Assets.scan(copy).version != before.version


def test_secrets_are_stored_only_as_hashes(client, anon, settings):
    api_secret = client.post("/api/v1/tokens", json={"name": "s"}).json()["secret"]
    del anon.headers["Authorization"]
    session = sign_in(anon, settings)
    pending = login_token(settings)  # minted, not yet spent
    stored = b"".join(p.read_bytes() for p in Path(settings.home).glob("jobdeck.sqlite3*"))
    for secret in (api_secret, session, pending, client.app.state.internal_secret):
        assert secret.encode() not in stored
    assert hash_secret(api_secret).encode() in stored and hash_secret(pending).encode() in stored
