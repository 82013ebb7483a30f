"""Command line: ``python -m controller [--config FILE] serve | user create | token create``.

Every command applies pending migrations first, so a fresh config works with any of them.
"""

from __future__ import annotations

import argparse
import sys

from controller.bootstrap import ensure_site
from controller.config import Config, ConfigError, load_config
from controller.db import migrate
from controller.db.session import Database
from controller.users import UserError, create_token, create_user


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m controller", description="Commune loudspeaker controller"
    )
    parser.add_argument("--config", help="config file (default: env TT_CONFIG, else defaults)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="web UI + API + scheduler + MQTT dispatcher")
    sub.add_parser("migrate", help="apply database migrations and exit")
    user = sub.add_parser("user", help="manage users").add_subparsers(dest="action", required=True)
    create = user.add_parser("create", help="create a user")
    create.add_argument("name")
    create.add_argument("--role", required=True)
    create.add_argument("--full-name", default="")
    create.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the password from standard input",
    )
    token = sub.add_parser("token", help="API tokens").add_subparsers(dest="action", required=True)
    tcreate = token.add_parser("create", help="print a new API token for user NAME")
    tcreate.add_argument("name")
    demo = sub.add_parser("seed-demo", help="seed the demo commune when the database is empty")
    demo.add_argument("--agents-dir", default="var/demo", help="where demo agent configs go")
    return parser


def _prepare(config: Config) -> Database:
    db = Database(config.database_url)
    migrate.upgrade(db)
    ensure_site(db, config)
    return db


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"Lỗi cấu hình: {exc}", file=sys.stderr)
        return 2
    db = _prepare(config)
    try:
        return _dispatch(args, config, db)
    except UserError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()


def _dispatch(args: argparse.Namespace, config: Config, db: Database) -> int:
    if args.command == "migrate":
        return 0
    if args.command == "serve":
        from controller.serve import serve

        return serve(config)
    if args.command == "user":
        password = sys.stdin.readline().rstrip("\r\n")
        with db.session() as session:
            create_user(session, args.name, args.role, password, config.site.id, args.full_name)
        print(f"Đã tạo người dùng {args.name} ({args.role})", file=sys.stderr)
        return 0
    if args.command == "token":
        with db.session() as session:
            token = create_token(session, args.name)
        print(token)
        return 0
    if args.command == "seed-demo":
        from controller.demo import seed_demo

        seed_demo(db, config, config.path(args.agents_dir))
        return 0
    return 2
