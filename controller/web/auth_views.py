"""Login, logout and the language switch."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from controller import audit
from controller.api import context
from controller.app import limiter
from controller.auth.gate import Principal, requires
from controller.auth.passwords import verify_password
from controller.db.models import User
from controller.i18n import LOCALES

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(validators=[DataRequired(), Length(max=80)])
    password = PasswordField(validators=[DataRequired(), Length(max=200)])


def _login_rate() -> str:
    return current_app.extensions["tt.config"].security.login_rate


def _safe_next(target: str | None) -> str:
    # Only same-site relative paths: never redirect to another host after login.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlparse(target).netloc
    ):
        return target
    return url_for("pages.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate, methods=["POST"])
def login():  # type: ignore[no-untyped-def]
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        sess = context.session()
        user = sess.scalars(select(User).where(User.username == form.username.data)).first()
        if user and user.active and verify_password(user.password_hash, form.password.data or ""):
            login_user(Principal(user.id, user.username, user.role, user.site_id, user.full_name))
            audit.record(sess, "auth.login", "user", user.username, username=user.username)
            sess.commit()
            return redirect(_safe_next(request.args.get("next")))
        error = "login_failed"
    elif request.method == "POST":
        error = "login_failed"
    return render_template("login.html", form=form, error=error), 401 if error else 200


@bp.post("/logout")
@requires("read")
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    return redirect(url_for("auth.login"))


@bp.get("/lang/<code>")
def set_language(code: str):  # type: ignore[no-untyped-def]
    if code in LOCALES:
        session["lang"] = code
    return redirect(_safe_next(request.args.get("next")))
