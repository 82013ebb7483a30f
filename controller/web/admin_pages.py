"""Quản trị: people and roles, hamlets and loudspeakers (with one-time node credentials), the
controller's public key with an agent config snippet, and a read-only view of the settings.

Changes go through the JSON API (``/api/v1/users``, ``/zones``, ``/nodes``) from
``static/js/admin.js``; only issuing a node's credentials has its own route here.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from sqlalchemy import func, select

from controller import audit
from controller.api import context
from controller.api.signing_key import signing_key
from controller.auth.gate import requires
from controller.auth.passwords import MIN_LENGTH
from controller.auth.roles import ROLES
from controller.db.models import Node, User, Zone
from controller.dispatch.keys import public_key_b64
from controller.errors import ApiError
from controller.web import admin_credentials as creds
from controller.web.ui_text import TEXT, t

bp = Blueprint("admin_pages", __name__)
PERSON_ROLES = tuple(r for r in ROLES if r != "node")  # node accounts come with provisioning


def _settings_rows() -> list[tuple[str, str, bool]]:
    """(label, value, is_code) of the main configuration values."""
    cfg = context.config()
    return [
        (t("adm_set_site"), cfg.site.name, False),
        (t("adm_set_site_id"), cfg.site.id, True),
        (t("adm_set_tz"), cfg.site.timezone, True),
        (t("adm_set_zone_label"), cfg.site.zone_label, False),
        (t("adm_set_quiet"), f"{cfg.quiet_hours.start} – {cfg.quiet_hours.end}", False),
        (t("adm_set_tts"), ", ".join(cfg.tts.engines), True),
        (
            t("adm_set_lead"),
            t("adm_set_seconds").format(n=f"{cfg.dispatch.lead_ms / 1000:g}"),
            False,
        ),
        (t("adm_set_horizon"), t("adm_set_hours").format(n=cfg.plan.horizon_h), False),
        (t("adm_set_loudness"), f"{cfg.audio.target_lufs:g} LUFS", False),
        (t("adm_set_broker"), f"{cfg.mqtt.host}:{cfg.mqtt.port}", True),
        (t("adm_set_public_url"), cfg.server.public_url, True),
    ]


def _snippet(node: str, zone: str, password: str, token: str) -> str:
    cfg = context.config()
    return creds.agent_config(
        creds.AgentSettings(
            node=node,
            zone=zone,
            site=context.site_id(),
            mqtt_host=cfg.mqtt.host,
            mqtt_port=cfg.mqtt.port,
            mqtt_tls=cfg.mqtt.tls,
            mqtt_password=password,
            public_key=public_key_b64(signing_key()),
            base_url=cfg.server.public_url,
            token=token,
        )
    )


def area_texts(prefix: str) -> dict[str, str]:
    """Every word of this page for its script, keyed without the prefix, in the UI language."""
    return {key.removeprefix(prefix): t(key) for key in TEXT if key.startswith(prefix)}


@bp.get("/admin")
@requires("admin", read="admin")
def admin():  # type: ignore[no-untyped-def]
    sess, site = context.session(), context.site_id()
    users = sess.scalars(
        select(User).where(User.site_id == site, User.role != "node").order_by(User.username)
    )
    zones = list(sess.scalars(select(Zone).where(Zone.site_id == site).order_by(Zone.id)))
    counts = dict(sess.execute(select(Node.zone_id, func.count()).group_by(Node.zone_id)).all())
    nodes = sess.scalars(select(Node).where(Node.site_id == site).order_by(Node.zone_id, Node.id))
    return render_template(
        "admin.html",
        users=list(users),
        roles=[(r, t(f"rep_value_{r}")) for r in PERSON_ROLES],
        zones=zones,
        zone_names={z.id: z.name for z in zones},
        counts=counts,
        nodes=list(nodes),
        public_key=public_key_b64(signing_key()),
        snippet=_snippet("thon-1-a", "thon-1", "…", "…"),
        settings=_settings_rows(),
        min_password=MIN_LENGTH,
        page_text=area_texts("adm_"),
    )


@bp.post("/admin/nodes/<node_id>/credentials")
@requires("admin", read="admin")
def issue_credentials(node_id: str):  # type: ignore[no-untyped-def]
    """New MQTT password and media token for a node, shown once; only the hash is kept."""
    sess = context.session()
    node = sess.get(Node, node_id)
    if node is None or node.site_id != context.site_id():
        raise ApiError(404, "not_found")
    password = creds.new_password()
    try:
        line = creds.broker_hash_line(node.id, password)
    except creds.CredentialError as exc:
        raise ApiError(
            503,
            "mosquitto_passwd_missing",
            "Không tạo được mật khẩu MQTT (thiếu chương trình mosquitto_passwd).",
            str(exc),
        ) from None
    pending = context.config().path(creds.PENDING_FILE)
    creds.put_pending_line(pending, node.id, line)
    token = creds.media_token(sess, node.id, node.site_id, context.principal_name())
    audit.record(sess, "node.credentials", "node", node.id, {"pending_file": str(pending)})
    sess.commit()
    return jsonify(
        {
            "node": node.id,
            "mqtt_username": node.id,
            "mqtt_password": password,
            "token": token,
            "public_key": public_key_b64(signing_key()),
            "pending_file": str(pending),
            "broker_note": t("adm_creds_broker").format(path=pending),
            "config": _snippet(node.id, node.zone_id, password, token),
        }
    ), 201
