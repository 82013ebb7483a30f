"""Creating people and API tokens (used by the CLI and the admin pages)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from controller import audit
from controller.auth.passwords import MIN_LENGTH, hash_password
from controller.auth.roles import ROLES
from controller.auth.tokens import new_token, token_digest
from controller.db.models import ApiToken, User


class UserError(ValueError):
    """A user or token request that cannot be done (message in Vietnamese)."""


def create_user(
    session: Session,
    username: str,
    role: str,
    password: str,
    site_id: str | None,
    full_name: str = "",
    actor: str = "system",
) -> User:
    if role not in ROLES:
        raise UserError(f"Vai trò không hợp lệ: {role} (chọn một trong {', '.join(ROLES)})")
    if not username or len(username) > 80 or not username.isprintable():
        raise UserError("Tên đăng nhập không hợp lệ")
    if len(password) < MIN_LENGTH:
        raise UserError(f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự")
    if session.scalars(select(User).where(User.username == username)).first():
        raise UserError(f"Người dùng '{username}' đã tồn tại")
    user = User(
        username=username,
        role=role,
        password_hash=hash_password(password),
        site_id=site_id,
        full_name=full_name,
    )
    session.add(user)
    session.flush()
    audit.record(session, "user.create", "user", username, {"role": role}, username=actor)
    return user


def create_token(
    session: Session, username: str, name: str | None = None, actor: str = "system"
) -> str:
    """A new token acting as ``username``; the secret is returned once and never stored."""
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise UserError(
            f"Không có người dùng '{username}'; tạo bằng: user create {username} --role ..."
        )
    token = new_token()
    session.add(ApiToken(name=name or username, token_hash=token_digest(token), user_id=user.id))
    audit.record(
        session, "token.create", "user", username, {"name": name or username}, username=actor
    )
    return token
