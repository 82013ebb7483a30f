"""``/api/v1/nodes``: loudspeaker clusters and the live state they report.

Every write republishes the commune's plans, so a new or moved node gets its zone's plan. A
provisioned node keeps its zone (it must be deleted and added again), and deleting a node takes
back its credentials (``controller.dispatch.node_access``).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select

from controller import audit
from controller.api import context
from controller.api.schemas import NodeIn, NodeOut, NodeUpdate
from controller.api.spec import api_doc
from controller.api.validation import parse_body
from controller.auth.gate import requires
from controller.db.models import Node, PublishedPlan, Zone
from controller.dispatch import node_access
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


def _pending_file() -> Path:
    # Imported here: the API does not otherwise depend on the web layer.
    from controller.web.admin_credentials import PENDING_FILE

    return context.config().path(PENDING_FILE)


def _refuse_provisioned_move(node: Node) -> None:
    if not node_access.is_provisioned(context.session(), node, _pending_file()):
        return
    raise ApiError(
        409,
        "node_provisioned",
        "Cụm loa này đã được cấp thông tin kết nối hoặc đã từng kết nối, nên không chuyển sang "
        "thôn khác được: cụm loa nhận lệnh theo thôn ghi trong cấu hình của nó. Hãy xóa cụm loa "
        "rồi thêm lại ở thôn mới và cấp thông tin kết nối mới.",
        "This node has credentials or has connected, so it cannot move to another zone: it "
        "listens to the zone written in its own config. Delete it, add it again in the new "
        "zone and issue new credentials.",
        node=node.id,
        zone=node.zone_id,
    )


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
    detail = data.model_dump()
    if node_access.reopen_node_account(sess, node.id):
        detail["account_reopened"] = True  # a deleted node's id reused; old tokens stay revoked
    audit.record(sess, "node.create", "node", node.id, detail)
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
        zone_id = _zone(data.zone).id
        if zone_id != node.zone_id:
            _refuse_provisioned_move(node)
        node.zone_id = zone_id
    if data.name is not None:
        node.name = data.name
    sess = context.session()
    audit.record(sess, "node.update", "node", node.id, data.model_dump(exclude_unset=True))
    sess.commit()
    refresh_after_change(current_app, node.site_id)
    return jsonify(node_out(node))


@bp.delete("/<node_id>")
@requires("admin")
@api_doc("Delete a node (its media account and pending broker password are revoked)", status=204)
def delete_node(node_id: str):  # type: ignore[no-untyped-def]
    node = _get(node_id)
    site_id = node.site_id
    sess = context.session()
    revoked = node_access.revoke_node_access(sess, node.id, _pending_file())
    sess.delete(node)
    audit.record(sess, "node.delete", "node", node_id, revoked.to_dict())
    sess.commit()
    refresh_after_change(current_app, site_id)
    return "", 204
