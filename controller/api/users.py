"""``/api/v1/users``: people and their roles (administrators only)."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, jsonify
from pydantic import BaseModel, Field
from sqlalchemy import select

from controller import audit
from controller.api import context
from controller.api.schemas import Strict
from controller.api.spec import api_doc
from controller.api.validation import parse_body
from controller.auth.gate import requires
from controller.auth.passwords import MIN_LENGTH, hash_password
from controller.auth.roles import ROLES
from controller.db.models import User
from controller.errors import ApiError
from controller.users import UserError, create_user

bp = Blueprint("users", __name__, url_prefix="/api/v1/users")
ROLE_PATTERN = "^(" + "|".join(ROLES) + ")$"


class UserIn(Strict):
    username: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.@-]+$")
    role: str = Field(pattern=ROLE_PATTERN)
    password: str = Field(min_length=MIN_LENGTH, max_length=200)
    full_name: str = Field(default="", max_length=200)


class UserUpdate(Strict):
    role: str | None = Field(default=None, pattern=ROLE_PATTERN)
    full_name: str | None = Field(default=None, max_length=200)
    active: bool | None = None
    password: str | None = Field(default=None, min_length=MIN_LENGTH, max_length=200)


class UserOut(BaseModel):
    id: int
    username: str
    role: str
    full_name: str
    active: bool
    created_at: datetime


def user_out(user: User) -> dict:
    return UserOut(
        id=user.id,
        username=user.username,
        role=user.role,
        full_name=user.full_name,
        active=user.active,
        created_at=user.created_at,
    ).model_dump(mode="json")


def _get(user_id: int) -> User:
    user = context.session().get(User, user_id)
    if user is None or user.site_id not in (None, context.site_id()):
        raise ApiError(404, "not_found")
    return user


@bp.get("")
@requires("admin", read="admin")
@api_doc("List users (admin)", list_of=UserOut)
def list_users():  # type: ignore[no-untyped-def]
    users = context.session().scalars(
        select(User).where(User.site_id == context.site_id()).order_by(User.username)
    )
    return jsonify({"items": [user_out(u) for u in users]})


@bp.post("")
@requires("admin", read="admin")
@api_doc("Create a user (admin)", body=UserIn, response=UserOut, status=201)
def create():  # type: ignore[no-untyped-def]
    data = parse_body(UserIn)
    sess = context.session()
    try:
        user = create_user(
            sess,
            data.username,
            data.role,
            data.password,
            context.site_id(),
            data.full_name,
            actor=context.principal_name(),
        )
    except UserError as exc:
        raise ApiError(409, "exists", str(exc), str(exc)) from None
    sess.commit()
    return jsonify(user_out(user)), 201


@bp.put("/<int:user_id>")
@requires("admin", read="admin")
@api_doc(
    "Change a user's role, name, password or active flag (admin)", body=UserUpdate, response=UserOut
)
def update(user_id: int):  # type: ignore[no-untyped-def]
    data = parse_body(UserUpdate)
    user = _get(user_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)  # null: leave unchanged
    if "password" in changes:
        user.password_hash = hash_password(changes.pop("password"))
        changes["password"] = "changed"
    for key in ("role", "full_name", "active"):
        if key in changes:
            setattr(user, key, changes[key])
    sess = context.session()
    audit.record(sess, "user.update", "user", user.username, changes)
    sess.commit()
    return jsonify(user_out(user))
