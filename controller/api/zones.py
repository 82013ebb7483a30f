"""``/api/v1/zones``: hamlets (thôn/xóm/tổ dân phố) of the caller's commune.

Every write republishes the commune's plans: a zone's quiet hours decide what its nodes play.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import func, select

from controller import audit
from controller.api import context
from controller.api.schemas import ZoneIn, ZoneOut, ZoneUpdate
from controller.api.spec import api_doc
from controller.api.validation import parse_body
from controller.auth.gate import requires
from controller.db.models import Node, Zone
from controller.errors import ApiError
from controller.scheduling.planning import refresh_after_change

bp = Blueprint("zones", __name__, url_prefix="/api/v1/zones")


def zone_out(zone: Zone, node_count: int = 0) -> dict:
    return ZoneOut(
        id=zone.id,
        name=zone.name,
        site=zone.site_id,
        quiet_start=zone.quiet_start,
        quiet_end=zone.quiet_end,
        nodes=node_count,
    ).model_dump(mode="json")


def _get(zone_id: str) -> Zone:
    zone = context.session().get(Zone, zone_id)
    if zone is None or zone.site_id != context.site_id():
        raise ApiError(404, "not_found")
    return zone


@bp.get("")
@api_doc("List the commune's zones", list_of=ZoneOut)
def list_zones():  # type: ignore[no-untyped-def]
    sess = context.session()
    counts = dict(sess.execute(select(Node.zone_id, func.count()).group_by(Node.zone_id)).all())
    zones = sess.scalars(select(Zone).where(Zone.site_id == context.site_id()).order_by(Zone.id))
    return jsonify({"items": [zone_out(z, counts.get(z.id, 0)) for z in zones]})


@bp.post("")
@requires("admin")
@api_doc("Create a zone", body=ZoneIn, response=ZoneOut, status=201)
def create_zone():  # type: ignore[no-untyped-def]
    data = parse_body(ZoneIn)
    sess = context.session()
    if sess.get(Zone, data.id) is not None:
        raise ApiError(409, "exists")
    zone = Zone(
        id=data.id,
        name=data.name,
        site_id=context.site_id(),
        quiet_start=data.quiet_start,
        quiet_end=data.quiet_end,
    )
    sess.add(zone)
    audit.record(sess, "zone.create", "zone", zone.id, data.model_dump())
    sess.commit()
    refresh_after_change(current_app, zone.site_id)
    return jsonify(zone_out(zone)), 201


@bp.get("/<zone_id>")
@api_doc("One zone", response=ZoneOut)
def get_zone(zone_id: str):  # type: ignore[no-untyped-def]
    return jsonify(zone_out(_get(zone_id)))


@bp.put("/<zone_id>")
@requires("admin")
@api_doc("Update a zone", body=ZoneUpdate, response=ZoneOut)
def update_zone(zone_id: str):  # type: ignore[no-untyped-def]
    data = parse_body(ZoneUpdate)
    zone = _get(zone_id)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("name", "") is None:  # a zone always has a name; null quiet hours clear them
        del changes["name"]
    for key, value in changes.items():
        setattr(zone, key, value)
    sess = context.session()
    audit.record(sess, "zone.update", "zone", zone.id, changes)
    sess.commit()
    refresh_after_change(current_app, zone.site_id)
    return jsonify(zone_out(zone))


@bp.delete("/<zone_id>")
@requires("admin")
@api_doc("Delete an empty zone", status=204)
def delete_zone(zone_id: str):  # type: ignore[no-untyped-def]
    zone = _get(zone_id)
    sess = context.session()
    if sess.scalar(select(func.count()).where(Node.zone_id == zone.id)):
        raise ApiError(409, "zone_in_use")
    site_id = zone.site_id
    sess.delete(zone)
    audit.record(sess, "zone.delete", "zone", zone_id)
    sess.commit()
    refresh_after_change(current_app, site_id)
    return "", 204
