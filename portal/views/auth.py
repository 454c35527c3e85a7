"""Logging in and out of the department desk."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..accounts import sessions
from ..extensions import db
from .forms import ConfirmForm, LoginForm
from ..web.locale import localized_blueprint

bp = localized_blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("desk.index")


@bp.route("/desk/login", methods=["GET", "POST"])
def login():
    """The login form; a new session at every successful login."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            sessions.log_in(db.session, form.username.data, form.password.data, request.remote_addr or "")
        except sessions.LoginRefused as refused:
            flash(str(refused), "error")
            status = 401
        else:
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("desk/login.html", form=form), status


@bp.route("/desk/logout", methods=["POST"])
def logout():
    """End the session for good."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("desk.index"))
    sessions.log_out(db.session)
    flash(_("您已退出登录"), "info")
    return redirect(url_for("auth.login"))
