"""Signing and publishing: per-node plans (retained) and commands (node, zone or whole site).

Both functions follow the same order so that ``seq`` never goes backwards on a node: take the
next ``seq`` (locks the counter row), sign, publish and wait for the broker's PUBACK, record
what was sent, then commit. The counter is committed even when publishing fails, because a
message that timed out may still reach the broker later and its ``seq`` must not be reused.
Both functions therefore COMMIT the session they are given.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from broadcast_agents.protocol import canonical_json, make_envelope, topics
from controller.db.models import Command, Node, PublishedPlan
from controller.dispatch.mqtt_link import Link
from controller.dispatch.plan_fit import FittedPlan, fit_plan
from controller.dispatch.sequence import next_seq

log = logging.getLogger(__name__)

SCOPES = ("node", "zone", "all")
# The largest seq a node accepts (BIGINT): the header is measured with the widest one.
_WIDEST_SEQ = 2**63 - 1


def plan_digest(items: Sequence[dict[str, Any]]) -> str:
    """sha256 of the items' canonical JSON: equal plans have equal digests."""
    return hashlib.sha256(canonical_json(list(items))).hexdigest()


def plan_is_current(
    published: PublishedPlan | None, digest: str, horizon: timedelta, now: datetime
) -> bool:
    """Whether the published plan can stay: same items, and not near its envelope's expiry."""
    if published is None or published.digest != digest:
        return False
    # Republish unchanged plans at half their lifetime so a retained plan never expires.
    return published.published_at > now - horizon / 2


def current_seq(session: Session, node_id: str) -> int | None:
    """The ``seq`` of the plan last published to ``node_id``, if any."""
    return session.scalar(select(PublishedPlan.seq).where(PublishedPlan.node_id == node_id))


def publish_plan(
    session: Session,
    link: Link,
    key: Ed25519PrivateKey,
    site: str,
    node_id: str,
    items: list[dict[str, Any]],
    horizon: timedelta,
    *,
    now: datetime | None = None,
) -> int:
    """Publish ``items`` as ``node_id``'s plan unless unchanged; return the plan's ``seq``.

    Items the node would refuse are left out, and a plan over the protocol's size or item
    limits keeps only its earliest items (see ``plan_fit``): the rest follow in later plans.
    """
    now = now or datetime.now(UTC)
    fitted = fit_plan(items, envelope_overhead(key, site, node_id, horizon, now))
    items = fitted.items
    digest = plan_digest(items)
    published = session.get(PublishedPlan, node_id)
    if plan_is_current(published, digest, horizon, now):
        assert published is not None
        return published.seq
    _warn_if_trimmed(node_id, fitted)
    body = {"node": node_id, "items": list(items)}
    envelope = _sign_and_publish(
        session, link, key, site, "plan", body, [topics.node_plan(site, node_id)], horizon, now
    )
    if published is None:
        published = PublishedPlan(node_id=node_id)
        session.add(published)
    published.seq = envelope["seq"]
    published.envelope_id = envelope["id"]
    published.digest = digest
    published.items = list(items)
    published.published_at = now
    session.commit()
    return envelope["seq"]


def envelope_overhead(
    key: Ed25519PrivateKey, site: str, node_id: str, horizon: timedelta, now: datetime
) -> int:
    """Bytes of a plan envelope with no items, measured with the widest ``seq``."""
    empty = make_envelope(
        "plan",
        {"node": node_id, "items": []},
        site=site,
        seq=_WIDEST_SEQ,
        issued_at=now,
        ttl=horizon,
        key=key,
    )
    return len(canonical_json(empty))


def _warn_if_trimmed(node_id: str, fitted: FittedPlan) -> None:
    if fitted.refused:
        log.warning(
            "plan items the node would refuse were left out",
            extra={"node": node_id, "refused": len(fitted.refused),
                   "items": [f"{i}: {why}" for i, why in fitted.refused[:20]]},
        )  # fmt: skip
    if fitted.cut:
        log.warning(
            "plan too large for the node: later items cut, they follow in later plans",
            extra={"node": node_id, "cut": fitted.cut, "kept": len(fitted.items),
                   "last_start": fitted.last_start},
        )  # fmt: skip


def command_topics(site: str, scope: str, targets: Sequence[str]) -> list[str]:
    """The cmd topics that address ``targets`` under ``scope``."""
    if scope == "node":
        return [topics.node_cmd(site, t) for t in targets]
    if scope == "zone":
        return [topics.zone_cmd(site, t) for t in targets]
    if scope == "all":
        return [topics.all_cmd(site)]
    raise ValueError(f"unknown command scope {scope!r}")


def addressed_nodes(session: Session, site: str, scope: str, targets: Sequence[str]) -> list[str]:
    """Ids of the site's nodes a command with this scope reaches."""
    query = select(Node.id).where(Node.site_id == site).order_by(Node.id)
    if scope == "node":
        query = query.where(Node.id.in_(list(targets)))
    elif scope == "zone":
        query = query.where(Node.zone_id.in_(list(targets)))
    return list(session.scalars(query))


def send_command(
    session: Session,
    link: Link,
    key: Ed25519PrivateKey,
    site: str,
    op: str,
    body: dict[str, Any],
    scope: str,
    targets: Sequence[str],
    *,
    ttl: timedelta,
    command_id: str | None = None,
    start: datetime | None = None,
    created_by: str = "",
    now: datetime | None = None,
) -> Command:
    """Sign and publish one command to every topic of ``scope``/``targets``; store it."""
    if scope not in SCOPES:
        raise ValueError(f"unknown command scope {scope!r}")
    now = now or datetime.now(UTC)
    command_id = command_id or uuid.uuid4().hex
    envelope = _sign_and_publish(
        session,
        link,
        key,
        site,
        "cmd",
        {"op": op, **body},
        command_topics(site, scope, targets),
        ttl,
        now,
        envelope_id=command_id,
    )
    command = Command(
        id=command_id,
        site_id=site,
        op=op,
        scope=scope,
        targets=list(targets),
        node_ids=addressed_nodes(session, site, scope, targets),
        body=body,
        seq=envelope["seq"],
        start=start,
        created_by=created_by,
        created_at=now,
    )
    session.add(command)
    session.commit()
    return command


def _sign_and_publish(
    session: Session,
    link: Link,
    key: Ed25519PrivateKey,
    site: str,
    kind: str,
    body: dict[str, Any],
    topic_list: list[str],
    ttl: timedelta,
    now: datetime,
    *,
    envelope_id: str | None = None,
) -> dict[str, Any]:
    seq = next_seq(session)
    envelope = make_envelope(
        kind, body, site=site, seq=seq, issued_at=now, ttl=ttl, key=key, envelope_id=envelope_id
    )
    payload = canonical_json(envelope)
    retain = kind == "plan"
    try:
        for topic in topic_list:
            link.publish(topic, payload, qos=1, retain=retain)
    except Exception:
        # Burn the seq: the broker may still deliver what timed out.
        session.rollback()
        _burn(session, seq)
        raise
    log.info(
        "published", extra={"kind": kind, "seq": seq, "id": envelope["id"], "topics": topic_list}
    )
    return envelope


def _burn(session: Session, seq: int) -> None:
    # Re-advancing after the rollback keeps the counter at or above the lost seq.
    while next_seq(session) < seq:
        pass
    session.commit()
