"""``/api/v1/nodes``: loudspeaker clusters and the live state they report.

Every write republishes the commune's plans, so a new or moved node gets its zone's plan.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select

from controller import audit
from controller.api import context
from controller.api.schemas import NodeIn, NodeOut, NodeUpdate
from controller.api.spec import api_doc
from controller.api.validation import parse_body
from controller.auth.gate import requires
from controller.db.models import Node, PublishedPlan, Zone
from controller.errors import ApiError
from controller.scheduling.planning import refresh_after_change

bp = Blueprint("nodes", __name__, url_prefix="/api/v1/nodes")


def node_out(node: Node, published_seq: int | None = None) -> dict:
    lagging = published_seq is not None and (node.plan_seq or 0) < published_seq
    return NodeOut(
        id=node.id,
        zone=node.zone_id,
        name=node.name,
        site=node.site_id,
        online=node.online,
        last_seen=node.last_seen,
        plan_seq=node.plan_seq,
        published_seq=published_seq,
        plan_lagging=lagging,
        volume=node.volume,
        now_playing=node.now_playing,
        clock_offset_ms=node.clock_offset_ms,
        version=node.version,
    ).model_dump(mode="json")


def _zone(zone_id: str) -> Zone:
    zone = context.session().get(Zone, zone_id)
    if zone is None or zone.site_id != context.site_id():
        raise ApiError(422, "zone_unknown")
    return zone


def _get(node_id: str) -> Node:
    node = context.session().get(Node, node_id)
    if node is None or node.site_id != context.site_id():
        raise ApiError(404, "not_found")
    return node


def _published(node_ids: list[str]) -> dict[str, int]:
    rows = context.session().execute(
        select(PublishedPlan.node_id, PublishedPlan.seq).where(PublishedPlan.node_id.in_(node_ids))
    )
    return dict(rows.all())


@bp.get("")
@api_doc("List nodes with live status", list_of=NodeOut, query={"zone": "only this zone"})
def list_nodes():  # type: ignore[no-untyped-def]
    query = select(Node).where(Node.site_id == context.site_id()).order_by(Node.id)
    if request.args.get("zone"):
        query = query.where(Node.zone_id == request.args["zone"])
    nodes = list(context.session().scalars(query))
    seqs = _published([n.id for n in nodes])
    return jsonify({"items": [node_out(n, seqs.get(n.id)) for n in nodes]})


@bp.post("")
@requires("admin")
@api_doc("Create a node", body=NodeIn, response=NodeOut, status=201)
def create_node():  # type: ignore[no-untyped-def]
    data = parse_body(NodeIn)
    sess = context.session()
    zone = _zone(data.zone)
    if sess.get(Node, data.id) is not None:
        raise ApiError(409, "exists")
    node = Node(id=data.id, zone_id=zone.id, site_id=zone.site_id, name=data.name, online=False)
    sess.add(node)
    audit.record(sess, "node.create", "node", node.id, data.model_dump())
    sess.commit()
    refresh_after_change(current_app, node.site_id)
    return jsonify(node_out(node)), 201


@bp.get("/<node_id>")
@api_doc("One node", response=NodeOut)
def get_node(node_id: str):  # type: ignore[no-untyped-def]
    node = _get(node_id)
    return jsonify(node_out(node, _published([node.id]).get(node.id)))


@bp.put("/<node_id>")
@requires("admin")
@api_doc("Update a node", body=NodeUpdate, response=NodeOut)
def update_node(node_id: str):  # type: ignore[no-untyped-def]
    data = parse_body(NodeUpdate)
    node = _get(node_id)
    if data.zone is not None:
        node.zone_id = _zone(data.zone).id
    if data.name is not None:
        node.name = data.name
    sess = context.session()
    audit.record(sess, "node.update", "node", node.id, data.model_dump(exclude_unset=True))
    sess.commit()
    refresh_after_change(current_app, node.site_id)
    return jsonify(node_out(node))


@bp.delete("/<node_id>")
@requires("admin")
@api_doc("Delete a node", status=204)
def delete_node(node_id: str):  # type: ignore[no-untyped-def]
    node = _get(node_id)
    site_id = node.site_id
    sess = context.session()
    sess.delete(node)
    audit.record(sess, "node.delete", "node", node_id)
    sess.commit()
    refresh_after_change(current_app, site_id)
    return "", 204
