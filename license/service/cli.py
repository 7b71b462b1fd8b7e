"""``jobdeck-license``: run and operate the license service.

    jobdeck-license keys create FILE      new signing keys + key-hash secret (0600)
    jobdeck-license keys rotate FILE      next key becomes current, a new next
    jobdeck-license keys show FILE        public keys to pin in the app (license.lease.PINNED_KEYS)
    jobdeck-license migrate               bring the database to the newest schema
    jobdeck-license serve                 run the service (migrates first unless --no-migrate)
    jobdeck-license issue --plan pro      issue a license; prints its key once
    jobdeck-license list                  licenses, newest first
    jobdeck-license revoke LICENSE_ID     revoke; machines get a signed REVOKED at their next check
    jobdeck-license org create NAME       an organisation and its first admin token
    jobdeck-license org token ORG_ID      another admin token (say, when the last one is lost)
    jobdeck-license org revoke-token ID   revoke an admin token at once

Settings come from ``JOBDECK_LICENSE_*`` variables (see config.SETTINGS) and
the flags below. Keys and tokens are printed to stdout once and never logged.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from .config import SETTINGS, ServiceConfig, load_config

__all__ = ["main"]


def _common(parser: argparse.ArgumentParser, *names: str) -> None:
    by_name = {setting.name: setting for setting in SETTINGS}
    for name in names:
        setting = by_name[name]
        parser.add_argument("--" + name.replace("_", "-"), dest=name, default=None,
                            type=setting.type if setting.type is not bool else None,
                            help=f"{setting.description} [env {setting.env}]")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jobdeck-license", description="The JobDeck license service.")
    commands = parser.add_subparsers(dest="command", required=True)
    keys = commands.add_parser("keys", help="signing keys").add_subparsers(dest="action", required=True)
    for action, text in (("create", "create a new secrets file"), ("rotate", "rotate the signing key"),
                         ("show", "print the public keys")):
        keys.add_parser(action, help=text).add_argument("file", type=Path)
    _common(commands.add_parser("migrate", help="migrate the database"), "database_url")
    serve = commands.add_parser("serve", help="run the service")
    _common(serve, "database_url", "redis_url", "secrets_file", "host", "port")
    serve.add_argument("--no-migrate", action="store_true", help="do not migrate before serving")
    issue = commands.add_parser("issue", help="issue a license")
    _common(issue, "database_url", "secrets_file")
    issue.add_argument("--plan", required=True, choices=["free", "pro", "team", "enterprise"])
    issue.add_argument("--seats", type=int, default=1)
    issue.add_argument("--org", help="organisation id (Team/Enterprise)")
    issue.add_argument("--email", help="owner's email")
    issue.add_argument("--expires", help="contract end, YYYY-MM-DD (UTC)")
    issue.add_argument("--machines-per-seat", type=int, help="override the plan's machines per seat")
    listing = commands.add_parser("list", help="list licenses")
    _common(listing, "database_url")
    listing.add_argument("--status")
    listing.add_argument("--json", action="store_true")
    revoke = commands.add_parser("revoke", help="revoke a license")
    _common(revoke, "database_url")
    revoke.add_argument("license_id")
    org = commands.add_parser("org", help="organisations").add_subparsers(dest="action", required=True)
    create = org.add_parser("create", help="create an organisation and an admin token")
    _common(create, "database_url", "secrets_file")
    create.add_argument("name")
    token = org.add_parser("token", help="issue another admin token for an organisation")
    _common(token, "database_url", "secrets_file")
    token.add_argument("org_id")
    token.add_argument("--name", default="operator", help="what the token is for (shown in the token list)")
    revoke_token = org.add_parser("revoke-token", help="revoke an admin token")
    _common(revoke_token, "database_url")
    revoke_token.add_argument("token_id")
    return parser


def _config(args: argparse.Namespace) -> ServiceConfig:
    names = {setting.name for setting in SETTINGS}
    return load_config({k: v for k, v in vars(args).items() if k in names}, environ=os.environ)


def _keys(args: argparse.Namespace) -> int:
    from .signing import KeyRing

    path: Path = args.file
    if args.action == "create":
        if path.exists():
            print(f"{path} exists; use `keys rotate` (a new key-hash secret would orphan every key)",
                  file=sys.stderr)
            return 1
        ring = KeyRing.generate()
        ring.save(path)
    elif args.action == "rotate":
        ring = KeyRing.load(path).rotated()
        ring.save(path)
    else:
        ring = KeyRing.load(path)
    print(json.dumps({"current": ring.current, "next": ring.next, "keys": ring.public_keys()}, indent=2))
    return 0


async def _with_session(config: ServiceConfig, work):
    from .db import create_engine, make_sessions

    engine = create_engine(config.database_url)
    try:
        async with make_sessions(engine).begin() as session:
            return await work(session)
    finally:
        await engine.dispose()


def _now() -> int:
    return int(datetime.now(timezone.utc).timestamp())


def _issue(args: argparse.Namespace, config: ServiceConfig) -> int:
    from .issuing import issue_license
    from .signing import KeyRing
    from .usage import audit

    ring = KeyRing.load(config.secrets_path())
    expires = None
    if args.expires:
        expires = int(datetime.strptime(args.expires, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp())

    async def work(session):
        license, key = await issue_license(session, ring.key_secret, plan=args.plan, now=_now(),
                                           seats=args.seats, org_id=args.org, owner_email=args.email,
                                           expires_at=expires, machines_per_seat=args.machines_per_seat)
        audit(session, at=_now(), org_id=args.org, actor="cli", action="license.issue",
              target=license.id, plan=args.plan)
        return license, key

    license, key = asyncio.run(_with_session(config, work))
    print(f"license {license.id} ({license.plan}, {license.seats} seat(s))")
    if key:
        print(f"key: {key}")
        print("Shown once: it is stored only as a hash.")
    else:
        print("Team/Enterprise: members get their keys when an admin assigns them seats.")
    return 0


def _list(args: argparse.Namespace, config: ServiceConfig) -> int:
    from sqlalchemy import select

    from .models import License

    async def work(session):
        query = select(License).order_by(License.created_at.desc(), License.id)
        if args.status:
            query = query.where(License.status == args.status)
        return (await session.execute(query)).scalars().all()

    rows = asyncio.run(_with_session(config, work))
    records = [{"id": r.id, "plan": r.plan, "status": r.status, "seats": r.seats, "keyPrefix": r.key_prefix,
                "org": r.org_id, "expiresAt": r.expires_at, "revision": r.ver} for r in rows]
    if args.json:
        print(json.dumps(records, indent=2))
    else:
        for r in records:
            print(f"{r['id']}  {r['plan']:<10} {r['status']:<9} seats={r['seats']:<3} "
                  f"{r['keyPrefix'] or '-':<9} {r['org'] or ''}")
    return 0


def _revoke(args: argparse.Namespace, config: ServiceConfig) -> int:
    from .issuing import set_status
    from .machines import lock_license
    from .models import License
    from .usage import audit

    async def work(session):
        if await session.get(License, args.license_id) is None:
            return None
        license = await lock_license(session, args.license_id)
        changed = set_status(license, "revoked", _now())
        audit(session, at=_now(), org_id=license.org_id, actor="cli", action="license.revoke",
              target=license.id)
        return changed

    return _revoked(asyncio.run(_with_session(config, work)), "license", args.license_id)


def _revoked(changed: bool | None, what: str, ident: str) -> int:
    """Say what a revoke did: None means there was no such thing."""
    if changed is None:
        print(f"no {what} {ident}", file=sys.stderr)
        return 1
    print(f"revoked {ident}" if changed else f"{ident} was already revoked")
    return 0


def _org(args: argparse.Namespace, config: ServiceConfig) -> int:
    if args.action == "revoke-token":
        return _revoke_admin_token(args, config)
    from sqlalchemy import select

    from .issuing import create_admin_token, create_organisation
    from .models import Organisation
    from .signing import KeyRing

    ring = KeyRing.load(config.secrets_path())

    async def work(session):
        if args.action == "create":
            org_id = (await create_organisation(session, args.name, _now())).id
            name = "owner"
        else:
            org_id = await session.scalar(select(Organisation.id).where(Organisation.id == args.org_id))
            if org_id is None:
                return None, None
            name = args.name
        _, token = await create_admin_token(session, ring.key_secret, org_id, name, _now())
        return org_id, token

    org_id, token = asyncio.run(_with_session(config, work))
    if org_id is None:
        print(f"no organisation {args.org_id}", file=sys.stderr)
        return 1
    print(f"organisation {org_id}")
    print(f"admin token: {token}")
    print("Shown once: it is stored only as a hash.")
    return 0


def _revoke_admin_token(args: argparse.Namespace, config: ServiceConfig) -> int:
    """The operator's revoke: unlike the admin route, it may revoke an
    organisation's last token (the operator can always issue another)."""
    from .models import AdminToken
    from .usage import audit

    async def work(session):
        token = await session.get(AdminToken, args.token_id)
        if token is None:
            return None
        if token.revoked_at is not None:
            return False
        token.revoked_at = _now()
        audit(session, at=_now(), org_id=token.org_id, actor="operator", action="token.revoke", target=token.id)
        return True

    return _revoked(asyncio.run(_with_session(config, work)), "admin token", args.token_id)


def _serve(args: argparse.Namespace, config: ServiceConfig) -> int:
    import uvicorn

    from .app import create_service
    from .db import migrate

    if not args.no_migrate:
        asyncio.run(migrate(config.database_url))
    app = create_service(config)
    print(f"JobDeck license service on http://{config.host}:{config.port}", flush=True)
    uvicorn.run(app, host=config.host, port=config.port, log_level="info", access_log=False,
                server_header=False, proxy_headers=False)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "keys":
        return _keys(args)
    try:
        config = _config(args)
    except ValueError as exc:
        print(f"jobdeck-license: {exc}", file=sys.stderr)
        return 2
    if args.command == "migrate":
        from .db import migrate

        asyncio.run(migrate(config.database_url))
        print("database is at the newest schema")
        return 0
    try:
        handler = {"serve": _serve, "issue": _issue, "list": _list, "revoke": _revoke,
                   "org": _org}[args.command]
        return handler(args, config)
    except (ValueError, FileNotFoundError) as exc:
        print(f"jobdeck-license: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # the database: unreachable, or not migrated yet
        from sqlalchemy.exc import DBAPIError

        if not isinstance(exc, DBAPIError):
            raise
        print(f"jobdeck-license: the database refused the command ({exc.orig}). Is it reachable, "
              "and has `jobdeck-license migrate` been run on it?", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
