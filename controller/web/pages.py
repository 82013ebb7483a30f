"""Tổng quan (dashboard): every hamlet's loudspeakers with live status, today's timeline, alerts.

The page is rendered once; ``static/js/dashboard.js`` then polls ``GET /api/v1/nodes`` and
``GET /dashboard/alerts`` and updates the cells in place. Nodes report what they play by item
id; the page shows the item's title (``now_playing_titles``), never the raw id.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, jsonify, redirect, render_template, url_for
from sqlalchemy import select

from controller.api import context
from controller.db.models import Node, PlayEvent, PublishedPlan, Zone
from controller.dispatch.ingest import describe_item
from controller.reports import alerts as alert_rules
from controller.reports.timeline import day_slots
from controller.web.template_context import vn_date
from controller.web.ui_text import TEXT, t

bp = Blueprint("pages", __name__)
KINDS = ("clip", "tts", "greeting", "relay", "emergency")
PROBLEM_EVENTS = ("failed", "skipped", "rejected")


def _tz() -> ZoneInfo:
    return ZoneInfo(context.config().site.timezone)


def _zones() -> list[Zone]:
    query = select(Zone).where(Zone.site_id == context.site_id()).order_by(Zone.id)
    return list(context.session().scalars(query))


def _plans(node_ids: list[str]) -> dict[str, PublishedPlan]:
    rows = context.session().scalars(
        select(PublishedPlan).where(PublishedPlan.node_id.in_(node_ids))
    )
    return {p.node_id: p for p in rows}


@bp.get("/")
def dashboard():  # type: ignore[no-untyped-def]
    zones = _zones()
    nodes = [n for z in zones for n in sorted(z.nodes, key=lambda n: n.id)]
    plans = _plans([n.id for n in nodes])
    tz = _tz()
    today = datetime.now(tz).date()
    slots = day_slots(
        {node_id: plan.items for node_id, plan in plans.items()},
        {n.id: n.zone_id for n in nodes},
        today,
        tz,
    )
    return render_template(
        "dashboard.html",
        zones=zones,
        published={node_id: plan.seq for node_id, plan in plans.items()},
        slots=slots,
        today=today,
        now_hms=datetime.now(tz).strftime("%H:%M:%S"),
        kind_labels={kind: t(f"dash_kind_{kind}") for kind in KINDS},
        alerts=current_alerts(nodes, plans),
        playing=now_playing_titles(nodes),
        online=sum(1 for n in nodes if n.online),
        total=len(nodes),
    )


@bp.get("/favicon.ico")
def favicon():  # type: ignore[no-untyped-def]
    # Browsers ask for /favicon.ico on their own; the icon itself is a static SVG.
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/dashboard/alerts")
def dashboard_alerts():  # type: ignore[no-untyped-def]
    query = select(Node).where(Node.site_id == context.site_id())
    nodes = list(context.session().scalars(query))
    return jsonify(
        {
            "items": current_alerts(nodes, _plans([n.id for n in nodes])),
            "now_playing": now_playing_titles(nodes),
        }
    )


def now_playing_titles(nodes: list[Node]) -> dict[str, str]:
    """The title of what each playing node plays (nodes report only the item id)."""
    titles: dict[str, str] = {}
    for node in nodes:
        if node.now_playing:
            titles[node.id] = _item_title(node.id, node.now_playing)
    return titles


def _item_title(node_id: str, item_id: str) -> str:
    # The plan, the broadcast command or the program first; then what the node reported.
    title = describe_item(context.session(), node_id, item_id).get("title")
    if not title:
        title = context.session().scalar(
            select(PlayEvent.title)
            .where(PlayEvent.item_id == item_id, PlayEvent.title != "")
            .order_by(PlayEvent.at.desc())
            .limit(1)
        )
    return title or t("dash_unknown_item")


def current_alerts(nodes: list[Node], plans: dict[str, PublishedPlan]) -> list[dict[str, str]]:
    """The alerts of now and of today's plays, as ``{"level", "text"}`` in the UI language."""
    now = datetime.now(UTC)
    names = {n.id: f"{n.zone.name} · {n.name or n.id}" for n in nodes}
    views = [
        alert_rules.NodeView(
            id=n.id,
            name=names[n.id],
            online=n.online,
            last_seen=n.last_seen,
            clock_offset_ms=n.clock_offset_ms,
            plan_lagging=n.id in plans and (n.plan_seq or 0) < plans[n.id].seq,
        )
        for n in nodes
    ]
    found = alert_rules.node_alerts(views, now) + alert_rules.play_alerts(_problems(), names)
    return [_alert_text(a) for a in alert_rules.sorted_alerts(found)]


def _problems() -> list[alert_rules.PlayProblem]:
    tz = _tz()
    midnight = datetime.combine(datetime.now(tz).date(), time(0), tzinfo=tz)
    rows = context.session().scalars(
        select(PlayEvent)
        .where(
            PlayEvent.site_id == context.site_id(),
            PlayEvent.at >= midnight,
            PlayEvent.type.in_(PROBLEM_EVENTS),
        )
        .order_by(PlayEvent.at.desc())
        .limit(50)
    )
    return [alert_rules.PlayProblem(e.node_id, e.type, e.at, e.title, e.detail or {}) for e in rows]


def _alert_text(alert: alert_rules.Alert) -> dict[str, str]:
    params: dict[str, Any] = {"node": alert.node, **alert.params}
    key = "dash_alert_offline" if alert.code == "offline_recent" else f"dash_alert_{alert.code}"
    if key == "dash_alert_offline":
        if params.get("since") is None:
            key = "dash_alert_never"
        else:
            params["since"] = _since(params["since"])
    if alert.code == "rejected":
        reason = params.get("reason") or ""
        reason_key = f"dash_reason_{reason}"
        params["reason"] = t(reason_key) if reason_key in TEXT else t("dash_reason_other")
    if isinstance(params.get("at"), datetime):
        params["at"] = params["at"].astimezone(_tz()).strftime("%H:%M")
    level = "bad" if alert.severity <= 1 else "warn"
    return {"level": level, "text": t(key).format(**params)}


def _since(moment: datetime) -> str:
    """``HH:MM`` for today, with the day for an earlier one."""
    local = moment.astimezone(_tz())
    if local.date() == datetime.now(_tz()).date():
        return local.strftime("%H:%M")
    return t("dash_since_day").format(time=local.strftime("%H:%M"), day=vn_date(local))
