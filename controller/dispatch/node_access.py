"""What a node was given to reach the broker and the media API, and taking it back.

Provisioning (``controller/web/admin_credentials.py``) gives a node two things: a broker
password, kept as the node's hashed line in the pending password file (username = node id)
until an operator merges it into the broker's own file, and a ``node-<id>`` account (role
``node``) whose API token downloads media. A node is *provisioned* once it holds either, or
once it has ever connected. Its agent then subscribes to its zone's command topic from its own
config, and the broker ACL is made per zone, so such a node cannot simply move to another zone.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from controller.db.models import ApiToken, Node, User

log = logging.getLogger(__name__)

NODE_ROLE = "node"


def node_username(node_id: str) -> str:
    """The account a node downloads media with."""
    return f"node-{node_id}"


def node_account(session: Session, node_id: str) -> User | None:
    """The node's own account, if credentials were ever issued (persons are never matched)."""
    query = select(User).where(User.username == node_username(node_id), User.role == NODE_ROLE)
    return session.scalars(query).first()


def pending_usernames(path: Path) -> set[str]:
    """Usernames that have a line in the pending broker password file."""
    if not path.exists():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split(":", 1)[0] for line in lines if line.strip()}


def has_credentials(session: Session, node_id: str, pending_file: Path) -> bool:
    """Whether the node holds a live media token or a pending broker password."""
    user = node_account(session, node_id)
    if user is not None and user.active:
        live = exists().where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
        if session.scalar(select(live)):
            return True
    return node_id in pending_usernames(pending_file)


def is_provisioned(session: Session, node: Node, pending_file: Path) -> bool:
    """Whether the node has ever connected or holds credentials (it must keep its zone)."""
    return node.last_seen is not None or has_credentials(session, node.id, pending_file)


def remove_pending_line(path: Path, username: str) -> bool:
    """Drop ``username``'s line from the pending password file (kept 0600); True if removed."""
    if not path.exists():
        return False
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    kept = [line for line in lines if line.split(":", 1)[0] != username]
    if len(kept) == len(lines):
        return False
    # Same atomic replace as admin_credentials.put_pending_line: readers see old or new.
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("".join(f"{line}\n" for line in kept))
    os.replace(tmp, path)
    return True


@dataclass(frozen=True)
class Revocation:
    """What ``revoke_node_access`` took back (for the audit log)."""

    account_deactivated: bool
    tokens_revoked: int
    pending_line_removed: bool
    pending_error: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "account_deactivated": self.account_deactivated,
            "tokens_revoked": self.tokens_revoked,
            "pending_line_removed": self.pending_line_removed,
        }
        if self.pending_error:
            out["pending_error"] = self.pending_error
        return out


def revoke_node_access(session: Session, node_id: str, pending_file: Path) -> Revocation:
    """Deactivate the node's account, revoke its tokens, drop its pending broker line.

    Database changes are left to the caller's commit. A password already merged into the
    broker's own file stays valid there until an operator removes it.
    """
    user = node_account(session, node_id)
    deactivated, revoked = False, 0
    if user is not None:
        deactivated = bool(user.active)
        user.active = False
        revoked = _revoke_tokens(session, user.id)
    try:
        removed, error = remove_pending_line(pending_file, node_id), ""
    except OSError as exc:  # the deletion still goes ahead; the audit row says what is left
        log.exception("pending broker line not removed", extra={"node": node_id})
        removed, error = False, str(exc)[:200]
    return Revocation(deactivated, revoked, removed, error)


def reopen_node_account(session: Session, node_id: str) -> bool:
    """Make a deleted node's old account usable again for a node re-added under the same id.

    Every old token stays revoked, so nothing works until new credentials are issued; without
    this the media token issued then would belong to a deactivated account.
    """
    user = node_account(session, node_id)
    if user is None or user.active:
        return False
    _revoke_tokens(session, user.id)
    user.active = True
    return True


def _revoke_tokens(session: Session, user_id: int) -> int:
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked.is_(False))
        .values(revoked=True)
    )
    return int(getattr(result, "rowcount", 0) or 0)
