"""``/api/v1/tts``: text normalization, speech synthesis into the library, pronunciation dictionary.

Short texts are synthesized within the request (201 with the media item); texts longer than
``tts.job_threshold_chars`` become a background job (202 ``{"job": id}``, see ``/api/v1/jobs``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from sqlalchemy import select

from controller import audit
from controller.api import context
from controller.api.media_schemas import (
    JobAccepted,
    PronunciationIn,
    PronunciationOut,
    TtsIn,
    TtsNormalizeIn,
    TtsNormalizeOut,
    TtsOut,
)
from controller.api.spec import api_doc
from controller.api.validation import parse_body
from controller.auth.gate import requires
from controller.db.models import Pronunciation
from controller.errors import ApiError
from controller.library import catalog
from controller.tts import abbreviations, jobs
from controller.tts.service import TtsError, check_text, normalize_for_site, synthesize_to_media

bp = Blueprint("tts", __name__, url_prefix="/api/v1/tts")


def tts_api_error(exc: TtsError) -> ApiError:
    return ApiError(exc.status, exc.code, exc.message_vi, exc.message_en)


@bp.post("/normalize")
@requires("tts")
@api_doc(
    "Normalize Vietnamese text as it will be read", body=TtsNormalizeIn, response=TtsNormalizeOut
)
def normalize_text():  # type: ignore[no-untyped-def]
    data = parse_body(TtsNormalizeIn)
    text = normalize_for_site(context.session(), context.site_id(), data.text)
    return jsonify({"normalized_text": text})


@bp.post("")
@requires("tts")
@api_doc(
    "Speak text into a library item (201), or start a job for long text (202 {job})",
    body=TtsIn,
    response=TtsOut,
    status=201,
)
def create_speech():  # type: ignore[no-untyped-def]
    data = parse_body(TtsIn)
    try:
        text = check_text(data.text)
    except TtsError as exc:
        raise tts_api_error(exc) from None
    options = data.model_dump(exclude={"text"})
    if len(text) > context.config().tts.job_threshold_chars:
        return jsonify(JobAccepted(job=_start_job(text, options)).model_dump()), 202
    sess = context.session()
    try:
        item, normalized, engine = synthesize_to_media(
            sess, context.config(), text, created_by=context.principal_name(),
            site_id=context.site_id(), **options,
        )  # fmt: skip
    except TtsError as exc:
        raise tts_api_error(exc) from None
    audit.record(sess, "tts.create", "media", item.id, {"engine": engine, "chars": len(text)})
    sess.commit()
    return jsonify({**catalog.as_dict(item), "normalized_text": normalized, "engine": engine}), 201


def _start_job(text: str, options: dict[str, Any]) -> str:
    sess = context.session()
    job = jobs.create_job(sess, "tts", context.principal_name())
    audit.record(sess, "tts.job", "job", job.id, {"chars": len(text)})
    sess.commit()
    config, site, user = context.config(), context.site_id(), context.principal_name()

    def work(session, progress):  # type: ignore[no-untyped-def]
        item, normalized, engine = synthesize_to_media(
            session, config, text, created_by=user, site_id=site, progress=progress, **options
        )
        audit.record(session, "tts.create", "media", item.id, {"engine": engine, "job": job.id},
                     username=user)  # fmt: skip
        session.flush()
        return {**catalog.as_dict(item), "normalized_text": normalized, "engine": engine}

    jobs.start(context.db(), job.id, work, describe_job_error)
    return job.id


def describe_job_error(exc: Exception) -> dict[str, Any]:
    """A job failure as the API's error object (Vietnamese message, English beside it)."""
    if isinstance(exc, TtsError):
        return {"code": exc.code, "message": exc.message_vi, "message_en": exc.message_en}
    return {
        "code": "internal",
        "message": "Lỗi hệ thống khi chuyển văn bản thành giọng nói.",
        "message_en": "Internal error during synthesis.",
    }


# ---------------------------------------------------------------- pronunciation dictionary


@bp.get("/dictionary")
@api_doc(
    "Pronunciation dictionary: shipped entries and the commune's own", list_of=PronunciationOut
)
def list_dictionary():  # type: ignore[no-untyped-def]
    entries = {k: (v, "shipped") for k, v in abbreviations.load_shipped().items()}
    for row in _site_entries():
        entries[row.term] = (row.reading, "site")
    items = [
        {"term": term, "reading": reading, "source": source}
        for term, (reading, source) in sorted(entries.items(), key=lambda kv: kv[0].lower())
    ]
    return jsonify({"items": items})


@bp.post("/dictionary")
@requires("tts")
@api_doc("Add or change a reading (wins over the shipped one)", body=PronunciationIn,
         response=PronunciationOut, status=201, also=(200,))  # fmt: skip
def put_entry():  # type: ignore[no-untyped-def]
    data = parse_body(PronunciationIn)
    sess = context.session()
    row = _entry(data.term)
    created = row is None
    if row is None:
        row = Pronunciation(
            site_id=context.site_id(), term=data.term, created_by=context.principal_name()
        )
        sess.add(row)
    row.reading = data.reading
    audit.record(sess, "tts.dictionary.put", "pronunciation", data.term, data.model_dump())
    sess.commit()
    body = {"term": row.term, "reading": row.reading, "source": "site"}
    return jsonify(body), 201 if created else 200


@bp.delete("/dictionary/<path:term>")
@requires("tts")
@api_doc("Remove the commune's reading of a term (the shipped one, if any, applies again)",
         status=204)  # fmt: skip
def delete_entry(term: str):  # type: ignore[no-untyped-def]
    row = _entry(term)
    if row is None:
        raise ApiError(404, "not_found")
    sess = context.session()
    sess.delete(row)
    audit.record(sess, "tts.dictionary.delete", "pronunciation", term)
    sess.commit()
    return "", 204


def _site_entries() -> list[Pronunciation]:
    stmt = select(Pronunciation).where(Pronunciation.site_id == context.site_id())
    return list(context.session().scalars(stmt))


def _entry(term: str) -> Pronunciation | None:
    stmt = select(Pronunciation).where(
        Pronunciation.site_id == context.site_id(), Pronunciation.term == term
    )
    return context.session().scalars(stmt).first()
