"""The demo commune for ``make run``: Xã Bình Yên, 3 hamlets, 4 loudspeaker clusters.

Seeded only into an empty database. Demo passwords are generated at random and written under
``var/`` (never into the repo); agent configs for the simulated nodes go next to them.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from sqlalchemy import func, select

from controller.config import Config
from controller.db.models import Node, User, Zone
from controller.db.session import Database
from controller.users import create_token, create_user

ZONES = [("thon-dong", "Thôn Đông"), ("thon-trung", "Thôn Trung"), ("thon-doai", "Thôn Đoài")]
NODES = [
    ("thon-dong-a", "thon-dong", "Cụm loa nhà văn hóa thôn Đông"),
    ("thon-dong-b", "thon-dong", "Cụm loa chợ thôn Đông"),
    ("thon-trung-a", "thon-trung", "Cụm loa trường tiểu học"),
    ("thon-doai-a", "thon-doai", "Cụm loa đầu làng thôn Đoài"),
]
USERS = [
    ("admin", "admin", "Phạm Quốc Hùng"),
    ("canbo", "officer", "Nguyễn Thị Lan"),
    ("chutich", "approver", "Trần Văn Minh"),
    ("xem", "viewer", "Lê Thị Hoa"),
]


def is_empty(db: Database) -> bool:
    with db.session() as session:
        return not session.scalar(select(func.count()).select_from(User))


def seed_demo(db: Database, config: Config, out_dir: Path) -> dict[str, str]:
    """Seed the demo commune when the database has no users; returns the demo logins."""
    out_dir.mkdir(parents=True, exist_ok=True)
    creds_file = out_dir / "credentials.json"
    if not is_empty(db):
        return json.loads(creds_file.read_text()) if creds_file.exists() else {}
    logins = {name: secrets.token_urlsafe(9) for name, _, _ in USERS}
    with db.session() as session:
        for zone_id, name in ZONES:
            session.add(Zone(id=zone_id, name=name, site_id=config.site.id))
        session.flush()
        for node_id, zone_id, name in NODES:
            session.add(Node(id=node_id, zone_id=zone_id, name=name, site_id=config.site.id))
        for name, role, full_name in USERS:
            create_user(session, name, role, logins[name], config.site.id, full_name)
        create_user(
            session,
            "node-agents",
            "node",
            secrets.token_urlsafe(24),
            config.site.id,
            "Cụm loa (tải âm thanh)",
        )
        session.flush()
        node_token = create_token(session, "node-agents", "demo nodes")
    creds_file.write_text(json.dumps(logins, ensure_ascii=False, indent=1))
    creds_file.chmod(0o600)
    (out_dir / "node_token").write_text(node_token)
    (out_dir / "node_token").chmod(0o600)
    return logins


def write_agent_configs(
    config: Config, out_dir: Path, public_key: str, mqtt_port: int
) -> list[Path]:
    """One agent config per demo node, with a file sink under ``out_dir``."""
    token = (out_dir / "node_token").read_text().strip()
    paths = []
    for node_id, zone_id, _name in NODES:
        node_dir = out_dir / node_id
        node_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"{node_id}.toml"
        path.write_text(
            f'[node]\nid = "{node_id}"\nzone = "{zone_id}"\nsite = "{config.site.id}"\n\n'
            f'[mqtt]\nhost = "{config.mqtt.host}"\nport = {mqtt_port}\n\n'
            f'[controller]\npublic_key = "{public_key}"\nbase_url = "{config.server.public_url}"\n'
            f'token = "{token}"\n\n'
            f'[player]\nsink = "file:{node_dir / "played"}"\n\n'
            f'[cache]\ndir = "{node_dir / "cache"}"\nmax_bytes = 536870912\n\n'
            f'[state]\ndir = "{node_dir / "state"}"\n',
            encoding="utf-8",
        )
        path.chmod(0o600)
        paths.append(path)
    return paths
