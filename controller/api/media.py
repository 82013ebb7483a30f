"""``/api/v1/media``: the audio library (thư viện âm thanh) of the caller's commune.

Uploads stream to a temporary file with the size limit enforced while reading, then go through
ingest (decode, refusals, loudness normalization, content-addressed store). Audio is served with
HTTP Range support so nodes can resume downloads; node tokens may fetch audio and nothing else.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, send_file
from werkzeug.datastructures import FileStorage

from controller import audit
from controller.api import context
from controller.api.media_schemas import MediaOut, MediaUpdate, UploadFields
from controller.api.spec import api_doc
from controller.api.validation import parse_body, validate
from controller.auth.gate import requires
from controller.errors import ApiError
from controller.library import catalog
from controller.library.errors import IngestError, empty
from controller.library.ingest import ingest_file
from controller.library.spool import spool_upload
from controller.tts.service import audio_settings, media_store

bp = Blueprint("media", __name__, url_prefix="/api/v1/media")

# Room for the multipart framing and the text fields around the file.
FORM_OVERHEAD_BYTES = 64 * 1024
AUDIO_MIMETYPES = {"mp3": "audio/mpeg", "ogg": "audio/ogg", "opus": "audio/ogg", "wav": "audio/wav"}


def _get(media_id: int):  # type: ignore[no-untyped-def]
    item = catalog.get_media(context.session(), context.site_id(), media_id)
    if item is None:
        raise ApiError(404, "not_found")
    return item


@bp.post("")
@requires("library")
@api_doc(
    "Upload an audio file into the library (any common format)",
    response=MediaOut,
    status=201,
    multipart={
        "title": "Title shown in the library",
        "category": "propaganda | greeting | announcement | emergency | other",
        "tags": "Comma-separated tags (optional)",
        "source": "upload | recording",
        "trim_silence": "true to cut leading/trailing silence (optional)",
    },
)
def upload():  # type: ignore[no-untyped-def]
    cfg = context.config()
    limit = cfg.audio.max_upload_bytes
    # Werkzeug then refuses a bigger body before reading it (Content-Length) or while reading
    # it (chunked), streams the file part to disk rather than memory, and keeps text fields
    # under Flask's MAX_FORM_MEMORY_SIZE.
    request.max_content_length = limit + FORM_OVERHEAD_BYTES
    fields = _upload_fields()
    file = request.files.get("file")
    if file is None:
        raise ApiError(
            422, "file_missing", "Chưa chọn tệp âm thanh.", "No audio file in the upload."
        )
    return _ingest_upload(file, fields, limit)


def _upload_fields() -> UploadFields:
    form: dict[str, Any] = {k: v for k, v in request.form.items() if k != "csrf_token"}
    if form.get("trim_silence") == "":
        form.pop("trim_silence")
    return validate(UploadFields, form)


def _ingest_upload(file: FileStorage, fields: UploadFields, limit: int):  # type: ignore[no-untyped-def]
    cfg = context.config()
    store = media_store(cfg)
    trim = cfg.audio.trim_silence if fields.trim_silence is None else fields.trim_silence
    sess = context.session()
    try:
        with spool_upload(file.stream, store.tmp_dir, limit) as spooled:
            if spooled.bytes == 0:
                raise empty()
            existing = catalog.find_by_original(sess, context.site_id(), spooled.sha256)
            if existing is not None:  # the very same file again: nothing new to store
                return jsonify(catalog.as_dict(existing)), 200
            stored = ingest_file(
                spooled.path, store, audio_settings(cfg), trim, original_sha256=spooled.sha256
            )
    except IngestError as exc:
        raise ApiError(exc.status, exc.code, exc.message_vi, exc.message_en) from None
    item = catalog.create_media(
        sess,
        site_id=context.site_id(),
        title=fields.title,
        category=fields.category,
        audio=stored,
        tags=fields.tags,
        source=fields.source,
        created_by=context.principal_name(),
    )
    detail = {"title": item.title, "sha256": item.sha256, "original_sha256": item.original_sha256}
    audit.record(sess, "media.create", "media", item.id, detail)
    sess.commit()
    return jsonify(catalog.as_dict(item)), 201


@bp.get("")
@api_doc(
    "List the library (newest first)",
    list_of=MediaOut,
    query={"category": "Only this category", "q": "Words of the title or tags; accents optional"},
)
def list_media():  # type: ignore[no-untyped-def]
    category = request.args.get("category") or None
    if category is not None and category not in catalog.CATEGORIES:
        raise ApiError(422, "validation")
    items = catalog.search_media(
        context.session(), context.site_id(), category=category, q=request.args.get("q")
    )
    return jsonify({"items": [catalog.as_dict(i) for i in items]})


@bp.get("/<int:media_id>")
@api_doc("One library item", response=MediaOut)
def get_media(media_id: int):  # type: ignore[no-untyped-def]
    return jsonify(catalog.as_dict(_get(media_id)))


@bp.put("/<int:media_id>")
@requires("library")
@api_doc("Edit title, category or tags", body=MediaUpdate, response=MediaOut)
def update_media(media_id: int):  # type: ignore[no-untyped-def]
    data = parse_body(MediaUpdate)
    item = _get(media_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    catalog.update_media(item, **changes)
    sess = context.session()
    audit.record(sess, "media.update", "media", item.id, changes)
    sess.commit()
    return jsonify(catalog.as_dict(item))


@bp.delete("/<int:media_id>")
@requires("library")
@api_doc("Delete an item no program uses (409 names the programs that do)", status=204)
def delete_media(media_id: int):  # type: ignore[no-untyped-def]
    item = _get(media_id)
    sess = context.session()
    users = catalog.programs_using(sess, context.site_id(), item.id)
    if users:
        titles = ", ".join(f"“{p.title}”" for p in users[:5])
        raise ApiError(
            409,
            "media_in_use",
            f"Tệp âm thanh đang được dùng trong chương trình: {titles}. Hãy gỡ khỏi chương trình "
            "hoặc lưu trữ chương trình trước khi xóa.",
            f"The clip is used by program(s) {titles}; remove it or archive them first.",
            programs=[{"id": p.id, "title": p.title, "status": p.status} for p in users],
        )
    title = item.title
    orphans = catalog.delete_media(sess, item)
    audit.record(sess, "media.delete", "media", media_id, {"title": title})
    sess.commit()
    _remove_files(orphans)
    return "", 204


def _remove_files(files: list[tuple[str, str]]) -> None:
    store = media_store(context.config())
    for sha256, ext in files:
        store.delete(sha256, ext)


@bp.get("/<int:media_id>/audio")
@requires("library", read="fetch_media")
@api_doc("The delivery audio (HTTP Range supported)", content_type="audio/mpeg")
def audio(media_id: int):  # type: ignore[no-untyped-def]
    item = _get(media_id)
    path = media_store(context.config()).path_for(item.sha256, catalog.delivery_ext(item.format))
    if not path.is_file():
        raise ApiError(404, "not_found")
    response = send_file(
        path,
        mimetype=AUDIO_MIMETYPES.get(item.format, "application/octet-stream"),
        conditional=True,
        etag=item.sha256,
        max_age=365 * 24 * 3600,
    )
    # Content-addressed: the bytes behind this id never change, so any cache may keep them.
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.get("/<int:media_id>/original")
@requires("library", read="library")
@api_doc(
    "The file as uploaded (officers and administrators)", content_type="application/octet-stream"
)
def original(media_id: int):  # type: ignore[no-untyped-def]
    item = _get(media_id)
    if not item.original_ext:
        raise ApiError(404, "not_found")
    path = media_store(context.config()).path_for(item.original_sha256, item.original_ext)
    if not path.is_file():
        raise ApiError(404, "not_found")
    ext = (item.original_ext or "").lstrip(".")
    return send_file(
        path,
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=f"media-{item.id}{'.' + ext if ext else ''}",
        conditional=True,
        etag=item.original_sha256,
    )
