#!/usr/bin/env python3
"""Generate Mosquitto credentials, ACL and config for the controller and every node.

    python deploy/mosquitto/make_credentials.py --out /etc/mosquitto/tt --nodes nodes.csv
    python deploy/mosquitto/make_credentials.py --out /etc/mosquitto/tt --config config.toml

``nodes.csv`` holds ``site,zone,node`` lines (a header line is allowed); with ``--config`` the
nodes are read from the controller's database. Writes into ``--out``:

- ``credentials.json`` (0600): ``{"users": {name: password}}``; existing passwords are kept so
  re-running after adding a node does not lock out the others (``--rotate`` replaces them all);
- ``passwd``: the Mosquitto password file, hashed by ``mosquitto_passwd``;
- ``acl``: per-user topic rules (see ``acl.template`` and ``acl_node.template``);
- ``mosquitto.conf``: from ``mosquitto.conf.template``.

A node's MQTT username is its node id; the controller's is ``--controller-user``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")  # no MQTT wildcards, no spaces
MOSQUITTO_PASSWD = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"


@dataclass(frozen=True)
class NodeEntry:
    site: str
    zone: str
    node: str

    def check(self) -> NodeEntry:
        for name in ("site", "zone", "node"):
            if not SEGMENT.match(getattr(self, name)):
                raise ValueError(f"{name} {getattr(self, name)!r} is not a safe topic segment")
        return self


def read_nodes_csv(path: Path) -> list[NodeEntry]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.reader(fh) if r and not r[0].startswith("#")]
    if rows and [c.strip().lower() for c in rows[0]] == ["site", "zone", "node"]:
        rows = rows[1:]
    return [NodeEntry(*(c.strip() for c in r[:3])).check() for r in rows]


def read_nodes_db(config_path: Path) -> list[NodeEntry]:
    """Nodes from the controller database named by a controller config file."""
    sys.path.insert(0, str(HERE.parent.parent))
    from sqlalchemy import select

    from controller.config import load_config
    from controller.db.models import Node
    from controller.db.session import Database

    db = Database(load_config(config_path).database_url)
    try:
        with db.session() as s:
            rows = s.execute(select(Node.site_id, Node.zone_id, Node.id).order_by(Node.id)).all()
    finally:
        db.dispose()
    return [NodeEntry(*row).check() for row in rows]


def render_acl(nodes: list[NodeEntry], controller_user: str) -> str:
    node_block = Template((HERE / "acl_node.template").read_text(encoding="utf-8"))
    blocks = "".join(node_block.substitute(site=n.site, zone=n.zone, node=n.node) for n in nodes)
    main = Template((HERE / "acl.template").read_text(encoding="utf-8"))
    return main.substitute(controller_user=controller_user, nodes=blocks)


def render_config(out: Path, port: int, bind: str, run_as: str = "mosquitto") -> str:
    template = Template((HERE / "mosquitto.conf.template").read_text(encoding="utf-8"))
    return template.substitute(
        run_as=run_as,
        port=port,
        bind=bind,
        password_file=out / "passwd",
        acl_file=out / "acl",
        data_dir=out / "data",
    )


def passwords_for(users: list[str], existing: dict[str, str], rotate: bool) -> dict[str, str]:
    """Keep known passwords (unless rotating), make new ones for new users."""
    return {
        u: (existing.get(u) if not rotate else None) or secrets.token_urlsafe(24) for u in users
    }


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def write_password_file(path: Path, passwords: dict[str, str], owner: str | None = None) -> None:
    """Hash ``user:password`` lines in one ``mosquitto_passwd -U`` run, then move into place.

    The file stays 0600; run as root, it is handed to ``owner`` (the broker's user) to read.
    """
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        plain = Path(tmp) / "passwd"
        _write_private(plain, "".join(f"{u}:{p}\n" for u, p in passwords.items()))
        subprocess.run([MOSQUITTO_PASSWD, "-U", str(plain)], check=True, capture_output=True)
        if owner and os.geteuid() == 0:
            _chown(plain, owner)
        os.replace(plain, path)


def _chown(path: Path, user: str) -> None:
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        return  # no such account here (e.g. building files for another host)
    os.chown(path, entry.pw_uid, entry.pw_gid)


def generate(
    out: Path,
    nodes: list[NodeEntry],
    controller_user: str,
    port: int,
    bind: str,
    rotate: bool,
    run_as: str = "mosquitto",
) -> dict[str, str]:
    """Write every file into ``out``; return the passwords by user."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(exist_ok=True)
    creds_path = out / "credentials.json"
    existing = json.loads(creds_path.read_text())["users"] if creds_path.exists() else {}
    passwords = passwords_for([controller_user] + [n.node for n in nodes], existing, rotate)
    _write_private(creds_path, json.dumps({"users": passwords}, indent=2) + "\n")
    write_password_file(out / "passwd", passwords, owner=run_as)
    (out / "acl").write_text(render_acl(nodes, controller_user), encoding="utf-8")
    (out / "mosquitto.conf").write_text(render_config(out, port, bind, run_as), encoding="utf-8")
    return passwords


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--nodes", type=Path, help="CSV of site,zone,node")
    source.add_argument("--config", type=Path, help="controller config: read nodes from its DB")
    parser.add_argument("--controller-user", default="tt-controller")
    parser.add_argument("--port", type=int, default=1883)
    parser.add_argument("--bind", default="0.0.0.0")
    parser.add_argument("--run-as", default="mosquitto", help="user the broker runs as")
    parser.add_argument("--rotate", action="store_true", help="new passwords for everyone")
    args = parser.parse_args(argv)
    nodes = read_nodes_csv(args.nodes) if args.nodes else read_nodes_db(args.config)
    out = args.out.resolve()
    passwords = generate(
        out, nodes, args.controller_user, args.port, args.bind, args.rotate, args.run_as
    )
    print(f"{len(passwords)} users ({len(nodes)} nodes) written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
