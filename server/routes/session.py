"""Signing in: the one-time login URL becomes an HttpOnly session cookie."""

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromQuery
from litestar.response import Redirect

from ..db.credentials import create_session, delete_session, spend_login_token
from ..login import clear_login_redirects
from ..security import SESSION_COOKIE
from ..deps import AppSettings, Db


def _session_cookie(value: str, max_age: int) -> Cookie:
    return Cookie(key=SESSION_COOKIE, value=value, path="/", httponly=True, samesite="strict",
                  max_age=max_age, secure=False)  # plain HTTP on loopback; LAN mode is HTTPS


class SessionController(Controller):
    tags = ["session"]

    @get("/login", include_in_schema=False)
    async def login(self, db: Db, settings: AppSettings, token: FromQuery[str] = "") -> Response:
        """Spend a one-time token from the CLI; answer with a cookie and the app."""
        if not token or len(token) > 128 or not await spend_login_token(db, token):
            return Redirect("/?signin=expired")
        secret = await create_session(db, settings.session_days)
        clear_login_redirects(settings.home_path)
        return Redirect("/", cookies=[_session_cookie(secret, settings.session_days * 86400)])

    @post("/api/v1/logout", status_code=204, summary="End this browser's session")
    async def logout(self, request: Request, db: Db) -> Response[None]:
        secret = request.cookies.get(SESSION_COOKIE)
        if secret:
            await delete_session(db, secret)
        return Response(None, status_code=204, cookies=[_session_cookie("", 0)])
