"""``jobdeck --get PATH``: one in-process request, for smoke checks of a build."""

from __future__ import annotations

import sys

from ..settings import Settings

__all__ = ["get"]


def get(settings: Settings, path: str) -> int:
    import logging

    from litestar.testing import TestClient

    from ..app import create_app

    if not path.startswith("/"):
        path = "/" + path
    logging.getLogger("httpx").setLevel(logging.WARNING)
    app = create_app(settings)
    headers = {"Authorization": f"Bearer {app.state.internal_secret}"}
    with TestClient(app, base_url=f"http://127.0.0.1:{settings.port}") as client:
        response = client.get(path, headers=headers)
    sys.stdout.write(response.text)
    if not response.text.endswith("\n"):
        sys.stdout.write("\n")
    if not response.is_success:
        print(f"jobdeck: GET {path} answered {response.status_code}", file=sys.stderr)
        return 1
    return 0
