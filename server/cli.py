"""The ``jobdeck`` command: serve (the default), open, doctor, token, version."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any, Sequence

from . import __version__
from .db import DatabaseError
from .home import HomeError, prepare_home
from .commands import backup, license, search, transfer
from .settings import Settings, SettingsError, load_settings

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jobdeck", description="JobDeck, your local job-search desk. With no command, "
        "starts the server (or finds the running one) and opens it in the browser.")
    parser.add_argument("--home", help="folder for the database and secrets (JOBDECK_HOME)")
    parser.add_argument("--host", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to bind; 0 picks a free one (default 8765)")
    parser.add_argument("--no-browser", dest="open_browser", action="store_const", const=False,
                        help="do not open the browser")
    parser.add_argument("--log-level", choices=["debug", "info", "warning", "error"])
    parser.add_argument("--get", metavar="PATH",
                        help="make one in-process GET request, print the body, exit 0 on 2xx")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("serve", help="start the server (the default)")
    commands.add_parser("open", help="open the running server in the browser, signed in")
    commands.add_parser("doctor", help="show where things are and what works")
    commands.add_parser("version", help="print the version")
    search.add_parser(commands)
    license.add_parser(commands)
    transfer.add_parsers(commands)
    backup.add_parser(commands)
    token = commands.add_parser("token", help="manage API tokens for scripts")
    token_commands = token.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    create = token_commands.add_parser("create", help="create a token (shown once)")
    create.add_argument("name")
    create.add_argument("--read-only", action="store_true", help="the token may only read")
    token_commands.add_parser("list", help="list tokens")
    revoke = token_commands.add_parser("revoke", help="revoke a token")
    revoke.add_argument("id", type=int)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    flags: dict[str, Any] = {"home": args.home, "host": args.host, "port": args.port,
                             "open_browser": args.open_browser, "log_level": args.log_level}
    return load_settings(flags)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "version":
        print(f"jobdeck {__version__}")
        return 0
    try:
        settings = _settings(args)
        prepare_home(settings.home_path)
        return _dispatch(args, settings)
    except (SettingsError, HomeError, DatabaseError) as exc:
        print(f"jobdeck: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.get:
        from .commands.get import get
        return get(settings, args.get)
    if args.command == "doctor":
        from .commands.doctor import doctor
        return doctor(settings)
    if args.command == "token":
        from .commands.token import token
        return asyncio.run(token(settings, args))
    if args.command == "license":
        return license.license_command(settings, args)
    if args.command == "search":
        return search.search(settings, args)
    if args.command == "import":
        return transfer.import_file(settings, args)
    if args.command == "export":
        return transfer.export_file(settings, args)
    if args.command == "demo":
        return transfer.demo(settings)
    if args.command == "backup":
        return backup.backup(settings, args)
    if args.command == "open":
        from .commands.serve import open_running
        return open_running(settings)
    from .commands.serve import serve
    return serve(settings)


if __name__ == "__main__":
    sys.exit(main())
