"""``python -m bucket_sandbox [--port 8080 --db PATH ...]`` serves a sandbox;
``python -m bucket_sandbox token --user EMAIL`` prints a fresh access token."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from werkzeug.serving import make_server

from .app import create_app
from .server import QuietHandler
from .tokens import DEFAULT_SCOPE, issue_token


def _serve_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument(
        "--db", default="bucket-sandbox.db", help="SQLite file (created if missing)"
    )
    parser.add_argument("--empty", action="store_true", help="no demo data")
    parser.add_argument("--rate-limit", type=int, help="requests per minute per address")
    parser.add_argument("--body-limit", type=int, help="JSON body limit in bytes")
    parser.add_argument("--token-ttl", type=int, help="access token lifetime in seconds")
    parser.add_argument("--client-id")
    parser.add_argument("--client-secret")
    parser.add_argument(
        "--client-auth-method",
        choices=("client_secret_basic", "client_secret_post", "none"),
        help="the one token endpoint auth method the client is registered with",
    )
    parser.add_argument("--redirect-uri", action="append", help="repeat for several")
    parser.add_argument(
        "--user",
        action="append",
        dest="users",
        metavar="EMAIL:PASSWORD[:NAME]",
        help="another sign-in account; repeat for several",
    )


def _config(args) -> dict:
    config = {"db_path": args.db}
    if args.empty:
        config["demo_data"] = False
    for arg, key in (
        ("rate_limit", "rate_limit_per_minute"),
        ("body_limit", "body_limit_bytes"),
        ("token_ttl", "access_token_ttl"),
        ("client_id", "client_id"),
        ("client_secret", "client_secret"),
        ("client_auth_method", "client_auth_method"),
        ("redirect_uri", "redirect_uris"),
        ("users", "users"),
    ):
        value = getattr(args, arg, None)
        if value is not None:
            config[key] = tuple(value) if isinstance(value, list) else value
    return config


def app_database() -> Path:
    """The zero-config app's sandbox file: its data folder (``BUCKET_DATA_DIR``, else
    ``.bucket-data`` in the project folder this is run from) holds ``sandbox.db``."""
    folder = os.environ.get("BUCKET_DATA_DIR") or Path.cwd() / ".bucket-data"
    return Path(folder) / "sandbox.db"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["token"]:
        parser = argparse.ArgumentParser(prog="python -m bucket_sandbox token")
        parser.add_argument("--user", required=True, help="email of a sandbox user")
        parser.add_argument(
            "--db",
            default=str(app_database()),
            help="the sandbox's SQLite file (default: the app's, in its data folder)",
        )
        parser.add_argument("--scope", default=DEFAULT_SCOPE)
        args = parser.parse_args(argv[1:])
        if not Path(args.db).exists():
            print(
                f"error: no sandbox database at {args.db}: start the app once "
                "(streamlit run app.py), or name a sandbox's file with --db",
                file=sys.stderr,
            )
            return 2
        # opened as it is: no demo data added, the OAuth client left as its program made it
        app = create_app({"db_path": args.db, "demo_data": False, "register_client": False})
        try:
            print(issue_token(app, args.user, args.scope)["access_token"])
        except (LookupError, ValueError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        return 0
    parser = argparse.ArgumentParser(prog="python -m bucket_sandbox")
    _serve_args(parser)
    args = parser.parse_args(argv)
    app = create_app(_config(args))
    print(f"Bucket sandbox on http://{args.host}:{args.port} (API at /bucket/api)", flush=True)
    server = make_server(args.host, args.port, app, threaded=True, request_handler=QuietHandler)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
