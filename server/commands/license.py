"""``jobdeck license status|activate KEY|refresh|deactivate``.

Through the running server's API when one is up (so its features change at
once), otherwise through the same app in-process. Either way the answer is
the API's, so the terminal and the app never disagree.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..settings import Settings

__all__ = ["add_parser", "license_command"]

_CALLS = {"status": ("GET", "/api/v1/license"), "activate": ("POST", "/api/v1/license"),
          "refresh": ("POST", "/api/v1/license/refresh"), "deactivate": ("DELETE", "/api/v1/license")}


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("license", help="show, activate, refresh or deactivate the license")
    actions = parser.add_subparsers(dest="license_command", metavar="ACTION", required=True)
    actions.add_parser("status", help="the license on this machine and the features it turns on")
    activate = actions.add_parser("activate", help="activate this machine with a license key")
    activate.add_argument("key", help="the key from your receipt, JDK-XXXXX-…")
    actions.add_parser("refresh", help="check the license with the service now")
    actions.add_parser("deactivate", help="free this machine's seat")


def _through_running_server(settings: Settings, url: str, method: str, path: str,
                            body: bytes | None) -> tuple[int, dict[str, Any]]:
    from .running_server import RunningServer, temporary_token

    with temporary_token(settings.database_path, "jobdeck license (temporary)", leave_revoked=True) as secret:
        status, answer = RunningServer(url, secret).request(method, path, json.loads(body) if body else None)
    return status, answer or {}


def _in_process(settings: Settings, method: str, path: str, body: bytes | None) -> tuple[int, dict[str, Any]]:
    import logging

    from litestar.testing import TestClient

    from ..app import create_app

    logging.getLogger("httpx").setLevel(logging.WARNING)
    app = create_app(settings)
    with TestClient(app, base_url=f"http://127.0.0.1:{settings.port}") as client:
        response = client.request(method, path, content=body, headers={
            "Authorization": f"Bearer {app.state.internal_secret}", "Content-Type": "application/json"})
        return response.status_code, response.json()


def _describe(view: dict[str, Any]) -> list[str]:
    lines = [f"License: {view['state'].replace('_', ' ').lower()} ({view['plan']})"]
    if view.get("keyPrefix"):
        lines.append(f"Key:     {view['keyPrefix']}…")
    for label, field in (("Renews", "expiresAt"), ("Grace until", "graceUntil"),
                         ("Subscription ends", "subscriptionEnd"), ("Last checked", "checkedAt")):
        if view.get(field):
            lines.append(f"{label + ':':<8} {view[field]}")
    on = sorted(name for name, feature in view["features"].items() if feature["on"])
    lines.append("Features on: " + (", ".join(on) if on else "none (Free)"))
    if not view.get("paid"):
        lines.append(f"Pro adds insights, unlimited tracking and alerts: {view['buyUrl']}")
    if view.get("fingerprintNote"):
        lines.append(view["fingerprintNote"])
    return lines


def license_command(settings: Settings, args: argparse.Namespace) -> int:
    from ..home import running_instance

    method, path = _CALLS[args.license_command]
    body = json.dumps({"key": args.key}).encode() if args.license_command == "activate" else None
    info = running_instance(settings.home_path)
    if info is not None:
        status, answer = _through_running_server(settings, info.url, method, path, body)
    else:
        status, answer = _in_process(settings, method, path, body)
    if status >= 400:
        print(f"jobdeck: {answer.get('error', {}).get('message', f'HTTP {status}')}", file=sys.stderr)
        return 1
    print("\n".join(_describe(answer)))
    return 0
