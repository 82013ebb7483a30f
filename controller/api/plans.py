"""``GET /api/v1/plans/{node}``: the plan last published to a node, exactly as it was sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, jsonify
from pydantic import BaseModel

from controller.api import context
from controller.api.spec import api_doc
from controller.db.models import Node, PublishedPlan
from controller.errors import ApiError

bp = Blueprint("plans", __name__, url_prefix="/api/v1/plans")


class PlanOut(BaseModel):
    node: str
    seq: int
    envelope_id: str
    published_at: datetime
    node_seq: int | None = None
    items: list[dict[str, Any]]


@bp.get("/<node_id>")
@api_doc("The plan published to a node (404 until one is)", response=PlanOut)
def get_plan(node_id: str):  # type: ignore[no-untyped-def]
    sess = context.session()
    node = sess.get(Node, node_id)
    if node is None or node.site_id != context.site_id():
        raise ApiError(404, "not_found")
    plan = sess.get(PublishedPlan, node_id)
    if plan is None:
        raise ApiError(
            404,
            "plan_not_published",
            "Chưa có lịch phát nào được gửi tới cụm loa này.",
            "No plan has been published to this node yet.",
        )
    out = PlanOut(
        node=node_id,
        seq=plan.seq,
        envelope_id=plan.envelope_id,
        published_at=plan.published_at,
        node_seq=node.plan_seq,
        items=plan.items,
    )
    return jsonify(out.model_dump(mode="json"))
