"""OpenAPI 3 document generated from the code.

Views carry their documentation with ``@api_doc`` (pydantic models for bodies and answers); the
document is assembled with apispec from the app's URL map, so it cannot drift from the routes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from apispec import APISpec
from flask import Flask
from pydantic import BaseModel

import controller

F = TypeVar("F", bound=Callable[..., Any])

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}


def api_doc(
    summary: str,
    *,
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    list_of: type[BaseModel] | None = None,
    query: dict[str, str] | None = None,
    status: int = 200,
    multipart: dict[str, str] | None = None,
    content_type: str | None = None,
    auth: bool = True,
    also: tuple[int, ...] = (),
) -> Callable[[F], F]:
    """Attach OpenAPI documentation to a view (per method when stacked on method views).

    ``also``: other success codes answered with the same body (e.g. 200 for an update where
    ``status`` is the 201 of a creation).
    """

    def mark(view: F) -> F:
        docs = getattr(view, "_tt_api_doc", [])
        docs.append(
            dict(
                summary=summary,
                body=body,
                response=response,
                list_of=list_of,
                query=query or {},
                status=status,
                multipart=multipart,
                content_type=content_type,
                auth=auth,
                also=also,
            )
        )
        view._tt_api_doc = docs  # type: ignore[attr-defined]
        return view

    return mark


def _add_model(spec: APISpec, model: type[BaseModel]) -> dict[str, str]:
    name = model.__name__
    if name not in spec.components.schemas:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for def_name, def_schema in schema.pop("$defs", {}).items():
            if def_name not in spec.components.schemas:
                spec.components.schema(def_name, def_schema)
        spec.components.schema(name, schema)
    return {"$ref": f"#/components/schemas/{name}"}


def _operation(spec: APISpec, doc: dict[str, Any], path_params: list[str]) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": doc["summary"], "responses": {}}
    params = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
        for p in path_params
    ]
    params += [
        {
            "name": k,
            "in": "query",
            "required": False,
            "schema": {"type": "string"},
            "description": v,
        }
        for k, v in doc["query"].items()
    ]
    if params:
        op["parameters"] = params
    if doc["body"] is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _add_model(spec, doc["body"])}},
        }
    if doc["multipart"]:
        props = {k: {"type": "string", "description": v} for k, v in doc["multipart"].items()}
        props["file"] = {"type": "string", "format": "binary"}
        op["requestBody"] = {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": props, "required": ["file"]}
                }
            },
        }
    ok: dict[str, Any] = {"description": "OK"}
    if doc["response"] is not None:
        ok["content"] = {"application/json": {"schema": _add_model(spec, doc["response"])}}
    elif doc["list_of"] is not None:
        ref = _add_model(spec, doc["list_of"])
        schema = {
            "type": "object",
            "required": ["items"],
            "properties": {"items": {"type": "array", "items": ref}},
        }
        ok["content"] = {"application/json": {"schema": schema}}
    elif doc["content_type"]:
        ok["content"] = {doc["content_type"]: {"schema": {"type": "string", "format": "binary"}}}
    for code in (doc["status"], *doc["also"]):
        op["responses"][str(code)] = ok
    error = {"description": "Error", "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    for code in ("400", "401", "403", "404", "409", "413", "422", "503"):
        op["responses"].setdefault(code, error)
    if not doc["auth"]:
        op["security"] = []
    return op


def build_openapi(app: Flask) -> dict[str, Any]:
    """Assemble the OpenAPI document for every documented route of ``app``."""
    spec = APISpec(
        title="Đài truyền thanh thông minh — API",
        version=controller.__version__,
        openapi_version="3.1.0",
        info={"description": "Integration API v1 of the commune loudspeaker controller."},
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    paths: dict[str, dict[str, Any]] = {}
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        docs = getattr(view, "_tt_api_doc", None)
        if not docs:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        path_params = re.findall(r"{([^}]+)}", path)
        methods = sorted(m for m in (rule.methods or ()) if m not in ("HEAD", "OPTIONS"))
        for method, doc in zip(methods, _docs_for(methods, docs), strict=False):
            paths.setdefault(path, {})[method.lower()] = _operation(spec, doc, path_params)
    for path, ops in sorted(paths.items()):
        spec.path(path=path, operations=ops)
    document = spec.to_dict()
    document["security"] = [{"bearer": []}]
    return document


def _docs_for(methods: list[str], docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # One doc per method; a single doc covers every method of the rule.
    if len(docs) == 1:
        return docs * len(methods)
    return list(reversed(docs))
