"""Organisation admin routes, ``/v1/orgs/{org_id}/…``: members, seats,
machines, bulk license issue, usage report, audit log, admin tokens.

The credential is an organisation admin token (``Authorization: Bearer
jdla_…``), stored hashed. A token opens its own organisation only: every
query is scoped by the organisation id, and another organisation's id or
object answers 404, exactly like one that does not exist. Every change is
written to the audit log in the same transaction.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, delete, get, post
from litestar.params import FromPath, FromQuery
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..context import ServiceContext
from ..issuing import (SeatsFull, admin_token_hash, assign_seat, create_admin_token, deactivate_machine,
                       issue_license, release_seat)
from ..machines import live_clause
from ..models import AdminToken, ApiUsage, AuditEntry, License, Machine, Member, Seat, new_id
from ..policies import POLICIES
from ..usage import audit
from . import context_of, error, json_response

__all__ = ["ROUTES"]

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]


class NewMember(msgspec.Struct, rename="camel"):
    email: Email
    name: Annotated[str, msgspec.Meta(max_length=200)] = ""


class NewLicenses(msgspec.Struct, rename="camel"):
    plan: str
    count: Annotated[int, msgspec.Meta(ge=1, le=500)] = 1
    seats: Annotated[int, msgspec.Meta(ge=1, le=10_000)] = 1
    expires_at: Annotated[int, msgspec.Meta(ge=0)] | None = None


class NewSeat(msgspec.Struct, rename="camel"):
    member_id: Annotated[str, msgspec.Meta(max_length=32)]


class NewToken(msgspec.Struct):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _not_found(what: str = "Not found") -> _Refused:
    return _Refused(404, "NOT_FOUND", f"{what}.")


async def _admin(ctx: ServiceContext, session: AsyncSession, request: Request, org_id: str) -> str:
    """The audit actor (``admin:<token id>``) of a valid token for ``org_id``."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _Refused(401, "UNAUTHENTICATED", "An organisation admin token is needed "
                                               "(Authorization: Bearer jdla_…).")
    hashed = admin_token_hash(ctx.keys.key_secret, token.strip())
    row = await session.scalar(select(AdminToken).where(AdminToken.token_hash == hashed,
                                                        AdminToken.revoked_at.is_(None)))
    if row is None:
        raise _Refused(401, "UNAUTHENTICATED", "This admin token is unknown or revoked.")
    if not hmac.compare_digest(row.org_id, org_id):
        raise _not_found("No such organisation")  # another organisation's: as if absent
    return f"admin:{row.id}"


def _body(request_body: bytes, kind: type) -> Any:
    try:
        return msgspec.json.decode(request_body, type=kind)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise _Refused(400, "BAD_REQUEST", str(exc)) from exc


async def _run(request: Request, org_id: str, work, *, write: bool = False, status: int = 200) -> Response:
    ctx = context_of(request)
    body = await request.body() if write else b""
    try:
        async with ctx.sessions.begin() as session:
            actor = await _admin(ctx, session, request, org_id)
            result = await work(ctx, session, actor, body)
    except _Refused as refused:
        return error(ctx, refused.status, refused.code, refused.message)
    return json_response(ctx, result, status)


async def _org_license(session: AsyncSession, org_id: FromPath[str], license_id: FromPath[str]) -> License:
    license = await session.scalar(select(License).where(License.id == license_id,
                                                         License.org_id == org_id))
    if license is None:
        raise _not_found("No such license in this organisation")
    return license


def _member(m: Member) -> dict:
    return {"id": m.id, "email": m.email, "name": m.name, "createdAt": m.created_at,
            "removedAt": m.removed_at}


def _seat(s: Seat) -> dict:
    return {"id": s.id, "licenseId": s.license_id, "memberId": s.member_id, "keyPrefix": s.key_prefix,
            "assignedAt": s.assigned_at, "releasedAt": s.released_at}


# -- members -------------------------------------------------------------------

@get("/orgs/{org_id:str}/members")
async def list_members(request: Request, org_id: FromPath[str]) -> Response:
    async def work(ctx, session, actor, body):
        rows = (await session.execute(select(Member).where(Member.org_id == org_id)
                                      .order_by(Member.created_at, Member.id))).scalars()
        return {"members": [_member(m) for m in rows]}
    return await _run(request, org_id, work)


@post("/orgs/{org_id:str}/members")
async def add_member(request: Request, org_id: FromPath[str]) -> Response:
    async def work(ctx, session, actor, body):
        data = _body(body, NewMember)
        email = data.email.strip().lower()
        if await session.scalar(select(Member.id).where(Member.org_id == org_id, Member.email == email)):
            raise _Refused(409, "MEMBER_EXISTS", "This organisation already has a member with that email.")
        member = Member(id=new_id("mem"), org_id=org_id, email=email, name=data.name,
                        created_at=ctx.now())
        session.add(member)
        audit(session, at=ctx.now(), org_id=org_id, actor=actor, action="member.add", target=member.id)
        return _member(member)
    return await _run(request, org_id, work, write=True, status=201)


@delete("/orgs/{org_id:str}/members/{member_id:str}", status_code=200)
async def remove_member(request: Request, org_id: FromPath[str], member_id: FromPath[str]) -> Response:
    async def work(ctx, session, actor, body):
        member = await session.scalar(select(Member).where(Member.id == member_id, Member.org_id == org_id))
        if member is None or member.removed_at is not None:
            raise _not_found("No such member")
        now = ctx.now()
        member.removed_at = now
        seats = (await session.execute(select(Seat).where(Seat.member_id == member.id,
                                                          Seat.released_at.is_(None)))).scalars().all()
        for seat in seats:
            await release_seat(session, seat, actor, now)
        audit(session, at=now, org_id=org_id, actor=actor, action="member.remove", target=member.id,
              seats_released=len(seats))
        return _member(member)
    return await _run(request, org_id, work)


# -- licenses and seats --------------------------------------------------------------

@get("/orgs/{org_id:str}/licenses")
async def list_licenses(request: Request, org_id: FromPath[str]) -> Response:
    async def work(ctx, session, actor, body):
        rows = (await session.execute(select(License).where(License.org_id == org_id)
                                      .order_by(License.created_at, License.id))).scalars().all()
        out = []
        for lic in rows:
            assigned = await session.scalar(select(func.count()).select_from(Seat).where(
                Seat.license_id == lic.id, Seat.released_at.is_(None)))
            live = await session.scalar(select(func.count()).select_from(Machine).where(
                Machine.license_id == lic.id, live_clause(lic, ctx.now())))
            out.append({"id": lic.id, "plan": lic.plan, "status": lic.status, "seats": lic.seats,
                        "seatsAssigned": assigned, "machinesLive": live, "keyPrefix": lic.key_prefix,
                        "expiresAt": lic.expires_at, "periodEnd": lic.period_end, "revision": lic.ver})
        return {"licenses": out}
    return await _run(request, org_id, work)


@post("/orgs/{org_id:str}/licenses")
async def bulk_issue(request: Request, org_id: FromPath[str]) -> Response:
    """Issue ``count`` licenses at once; each Pro key is shown here only."""
    async def work(ctx, session, actor, body):
        data = _body(body, NewLicenses)
        if data.plan not in POLICIES:
            raise _Refused(400, "BAD_REQUEST", f"plan must be one of {', '.join(POLICIES)}")
        issued = []
        for _ in range(data.count):
            license, key = await issue_license(session, ctx.keys.key_secret, plan=data.plan,
                                               now=ctx.now(), seats=data.seats, org_id=org_id,
                                               expires_at=data.expires_at)
            issued.append({"id": license.id, "plan": license.plan, "seats": license.seats, "key": key})
        audit(session, at=ctx.now(), org_id=org_id, actor=actor, action="license.bulk_issue",
              plan=data.plan, count=data.count, license_ids=[item["id"] for item in issued])
        return {"licenses": issued}
    return await _run(request, org_id, work, write=True, status=201)


@get("/orgs/{org_id:str}/seats")
async def list_seats(request: Request, org_id: FromPath[str]) -> Response:
    async def work(ctx, session, actor, body):
        rows = (await session.execute(select(Seat).join(License, Seat.license_id == License.id)
                                      .where(License.org_id == org_id)
                                      .order_by(Seat.assigned_at, Seat.id))).scalars()
        return {"seats": [_seat(s) for s in rows]}
    return await _run(request, org_id, work)


@post("/orgs/{org_id:str}/licenses/{license_id:str}/seats")
async def add_seat(request: Request, org_id: FromPath[str], license_id: FromPath[str]) -> Response:
    """Give a member a seat; their own key is in this answer only."""
    async def work(ctx, session, actor, body):
        data = _body(body, NewSeat)
        license = await _org_license(session, org_id, license_id)
        member = await session.scalar(select(Member).where(Member.id == data.member_id,
                                                           Member.org_id == org_id,
                                                           Member.removed_at.is_(None)))
        if member is None:
            raise _not_found("No such member")
        if await session.scalar(select(Seat.id).where(Seat.license_id == license.id,
                                                      Seat.member_id == member.id,
                                                      Seat.released_at.is_(None))):
            raise _Refused(409, "SEAT_EXISTS", "This member already holds a seat on this license.")
        try:
            seat, key = await assign_seat(session, ctx.keys.key_secret, license, member.id, ctx.now())
        except SeatsFull as exc:
            raise _Refused(409, "SEATS_FULL", f"{exc}; add seats to the subscription or release one.") from exc
        except ValueError as exc:
            raise _Refused(400, "BAD_REQUEST", str(exc)) from exc
        audit(session, at=ctx.now(), org_id=org_id, actor=actor, action="seat.assign", target=seat.id,
              member_id=member.id, license_id=license.id, key_prefix=seat.key_prefix)
        return {"seat": _seat(seat), "key": key}
    return await _run(request, org_id, work, write=True, status=201)


@delete("/orgs/{org_id:str}/seats/{seat_id:str}", status_code=200)
async def remove_seat(request: Request, org_id: FromPath[str], seat_id: FromPath[str]) -> Response:
    async def work(ctx, session, actor, body):
        seat = await session.scalar(select(Seat).join(License, Seat.license_id == License.id)
                                    .where(Seat.id == seat_id, License.org_id == org_id))
        if seat is None or seat.released_at is not None:
            raise _not_found("No such seat")
        await release_seat(session, seat, actor, ctx.now())
        audit(session, at=ctx.now(), org_id=org_id, actor=actor, action="seat.release", target=seat.id)
        return _seat(seat)
    return await _run(request, org_id, work)


# -- machines --------------------------------------------------------------------------

@get("/orgs/{org_id:str}/machines")
async def list_machines(request: Request, org_id: FromPath[str]) -> Response:
    async def work(ctx, session, actor, body):
        rows = (await session.execute(select(Machine, License).join(License, Machine.license_id == License.id)
                                      .where(License.org_id == org_id)
                                      .order_by(Machine.activated_at, Machine.id))).all()
        now = ctx.now()
        grace = {lic.id: POLICIES[lic.plan].grace for _, lic in rows}
        return {"machines": [
            {"id": m.id, "licenseId": m.license_id, "seatId": m.seat_id, "name": m.name,
             "platform": m.platform, "activatedAt": m.activated_at, "lastSeenAt": m.last_seen_at,
             "leaseExpiresAt": m.lease_expires_at, "deactivatedAt": m.deactivated_at,
             "cloneOf": m.clone_of,
             "live": m.deactivated_at is None and (m.lease_expires_at is None
                                                   or m.lease_expires_at + grace[m.license_id] > now)}
            for m, _ in rows]}
    return await _run(request, org_id, work)


@delete("/orgs/{org_id:str}/machines/{machine_id:str}", status_code=200)
async def remove_machine(request: Request, org_id: FromPath[str], machine_id: FromPath[str]) -> Response:
    """An admin frees a machine's place (not counted as a self-service transfer)."""
    async def work(ctx, session, actor, body):
        machine = await session.scalar(select(Machine).join(License, Machine.license_id == License.id)
                                       .where(Machine.id == machine_id, License.org_id == org_id))
        if machine is None:
            raise _not_found("No such machine")
        from ..machines import lock_license

        await lock_license(session, machine.license_id)
        await deactivate_machine(session, machine, actor, ctx.now())
        audit(session, at=ctx.now(), org_id=org_id, actor=actor, action="machine.deactivate",
              target=machine.id, license_id=machine.license_id)
        return {"id": machine.id, "deactivatedAt": machine.deactivated_at}
    return await _run(request, org_id, work)


# -- admin tokens ------------------------------------------------------------------

def _token(t: AdminToken) -> dict:
    return {"id": t.id, "name": t.name, "createdAt": t.created_at, "revokedAt": t.revoked_at}


@get("/orgs/{org_id:str}/tokens")
async def list_tokens(request: Request, org_id: FromPath[str]) -> Response:
    """The organisation's admin tokens: names and dates, never a secret."""
    async def work(ctx, session, actor, body):
        rows = (await session.execute(select(AdminToken).where(AdminToken.org_id == org_id)
                                      .order_by(AdminToken.created_at, AdminToken.id))).scalars()
        return {"tokens": [_token(t) for t in rows]}
    return await _run(request, org_id, work)


@post("/orgs/{org_id:str}/tokens")
async def create_token(request: Request, org_id: FromPath[str]) -> Response:
    """A new admin token, its secret in this answer only (stored as a hash)."""
    async def work(ctx, session, actor, body):
        data = _body(body, NewToken)
        row, secret = await create_admin_token(session, ctx.keys.key_secret, org_id, data.name.strip(), ctx.now())
        audit(session, at=ctx.now(), org_id=org_id, actor=actor, action="token.create", target=row.id)
        return {**_token(row), "token": secret}
    return await _run(request, org_id, work, write=True, status=201)


@delete("/orgs/{org_id:str}/tokens/{token_id:str}", status_code=200)
async def revoke_token(request: Request, org_id: FromPath[str], token_id: FromPath[str]) -> Response:
    """Revoke a token (a leaked one, or one nobody uses). The last live token
    is kept, so an organisation cannot lock itself out by mistake; the
    operator's CLI can always issue a new one."""
    async def work(ctx, session, actor, body):
        live = (await session.execute(select(AdminToken).where(
            AdminToken.org_id == org_id, AdminToken.revoked_at.is_(None)).with_for_update())).scalars().all()
        token = next((t for t in live if t.id == token_id), None)
        if token is None:
            raise _not_found("No such live admin token")
        if len(live) == 1:
            raise _Refused(409, "LAST_ADMIN_TOKEN", "This is the organisation's last admin token: "
                                                    "create another one before revoking it.")
        token.revoked_at = ctx.now()
        audit(session, at=ctx.now(), org_id=org_id, actor=actor, action="token.revoke", target=token.id)
        return _token(token)
    return await _run(request, org_id, work, write=True)


# -- reports -----------------------------------------------------------------------------

@get("/orgs/{org_id:str}/usage")
async def usage_report(request: Request, org_id: FromPath[str], since: FromQuery[int | None] = None) -> Response:
    """API calls by route and result since ``since`` (default: 30 days), and
    the seats and machines in use now. This process's buffered usage rows
    are written first; other replicas' are at most a second behind."""
    await context_of(request).usage.flush()

    async def work(ctx, session, actor, body):
        start = since if since is not None else ctx.now() - 30 * 86400
        licenses = select(License.id).where(License.org_id == org_id)
        calls = (await session.execute(
            select(ApiUsage.route, ApiUsage.code, func.count(), func.avg(ApiUsage.latency_us))
            .where(ApiUsage.license_id.in_(licenses), ApiUsage.at >= start)
            .group_by(ApiUsage.route, ApiUsage.code).order_by(ApiUsage.route, ApiUsage.code))).all()
        rows = (await session.execute(select(License).where(License.org_id == org_id))).scalars().all()
        seats = sum(lic.seats for lic in rows)
        assigned = await session.scalar(select(func.count()).select_from(Seat).join(
            License, Seat.license_id == License.id).where(License.org_id == org_id,
                                                          Seat.released_at.is_(None)))
        live = 0
        for lic in rows:
            live += await session.scalar(select(func.count()).select_from(Machine).where(
                Machine.license_id == lic.id, live_clause(lic, ctx.now())))
        return {"since": start, "licenses": len(rows), "seats": seats, "seatsAssigned": assigned,
                "machinesLive": live,
                "calls": [{"route": r, "code": c, "count": n, "avgLatencyUs": int(avg or 0)}
                          for r, c, n, avg in calls]}
    return await _run(request, org_id, work)


@get("/orgs/{org_id:str}/audit")
async def audit_log(request: Request, org_id: FromPath[str]) -> Response:
    async def work(ctx, session, actor, body):
        rows = (await session.execute(select(AuditEntry).where(AuditEntry.org_id == org_id)
                                      .order_by(AuditEntry.id.desc()).limit(500))).scalars()
        return {"entries": [{"at": e.at, "actor": e.actor, "action": e.action, "target": e.target,
                             "detail": msgspec.json.decode(e.detail)} for e in rows]}
    return await _run(request, org_id, work)


ROUTES = [list_members, add_member, remove_member, list_licenses, bulk_issue, list_seats, add_seat,
          remove_seat, list_machines, remove_machine, list_tokens, create_token, revoke_token, usage_report,
          audit_log]
