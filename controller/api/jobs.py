"""``/api/v1/jobs/{id}``: progress and outcome of a background job (e.g. a long TTS notice)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from controller.api import context
from controller.api.media_schemas import JobOut
from controller.api.spec import api_doc
from controller.db.models import Job
from controller.errors import ApiError
from controller.tts.jobs import job_dict

bp = Blueprint("jobs", __name__, url_prefix="/api/v1/jobs")


@bp.get("/<job_id>")
@api_doc("A background job: status queued|running|done|failed, progress 0..1", response=JobOut)
def get_job(job_id: str):  # type: ignore[no-untyped-def]
    job = context.session().get(Job, job_id)
    if job is None:
        raise ApiError(404, "not_found")
    return jsonify(job_dict(job))
