"""Node provisioning for the admin page: MQTT password, media token and the agent's config.

The database has no column for broker passwords, and the broker reads its own password file.
So the password is shown to the administrator once and only its Mosquitto hash is kept: one
``username:$7$...`` line per node in ``var/mosquitto/passwd.pending`` (hashed by
``mosquitto_passwd``, as ``deploy/mosquitto/make_credentials.py`` does), to be merged into the
broker's password file.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from controller.db.models import ApiToken, User
from controller.users import create_token, create_user

MOSQUITTO_PASSWD = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"
PENDING_FILE = "var/mosquitto/passwd.pending"


class CredentialError(RuntimeError):
    """The broker's password line could not be made (``mosquitto_passwd`` missing or failing)."""


def new_password() -> str:
    return secrets.token_urlsafe(24)


def broker_hash_line(username: str, password: str, tool: str = MOSQUITTO_PASSWD) -> str:
    """``username:$7$...``: the line Mosquitto's password file holds for this user."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "passwd"
        fd = os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"{username}:{password}\n")
        try:
            subprocess.run([tool, "-U", str(plain)], check=True, capture_output=True, timeout=20)
        except (OSError, subprocess.SubprocessError) as exc:
            raise CredentialError(f"mosquitto_passwd failed: {exc}") from exc
        return plain.read_text(encoding="utf-8").strip()


def put_pending_line(path: Path, username: str, line: str) -> None:
    """Replace ``username``'s line in the pending file (created 0600), keeping the others."""
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = []
    if path.exists():
        kept = [
            old
            for old in path.read_text(encoding="utf-8").splitlines()
            if old.strip() and old.split(":", 1)[0] != username
        ]
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("".join(f"{entry}\n" for entry in [*kept, line]))
    os.replace(tmp, path)


def media_token(session: Session, node_id: str, site_id: str, actor: str) -> str:
    """A fresh download token for the node's own ``node``-role account (older ones revoked)."""
    username = f"node-{node_id}"
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        user = create_user(session, username, "node", new_password(), site_id, actor=actor)
    session.execute(update(ApiToken).where(ApiToken.user_id == user.id).values(revoked=True))
    return create_token(session, username, name=f"cụm loa {node_id}", actor=actor)


@dataclass(frozen=True)
class AgentSettings:
    node: str
    zone: str
    site: str
    mqtt_host: str
    mqtt_port: int
    mqtt_tls: bool
    mqtt_password: str
    public_key: str
    base_url: str
    token: str


def agent_config(s: AgentSettings) -> str:
    """The node's ``agent.toml`` (pure; see ``examples/agent.toml`` for every option)."""
    return f"""[node]
id = "{s.node}"
zone = "{s.zone}"
site = "{s.site}"

[mqtt]
host = "{s.mqtt_host}"
port = {s.mqtt_port}
username = "{s.node}"
password = "{s.mqtt_password}"
tls = {"true" if s.mqtt_tls else "false"}

[controller]
public_key = "{s.public_key}"
base_url = "{s.base_url}"
token = "{s.token}"

[player]
sink = "alsa"

[cache]
dir = "/var/lib/truyenthanh/cache"

[state]
dir = "/var/lib/truyenthanh/state"
"""
