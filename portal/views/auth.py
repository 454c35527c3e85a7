"""Logging in and out of the department desk."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..accounts import sessions
from ..extensions import db
from .forms import ConfirmForm, LoginForm
from ..web.locale import localized_blueprint

bp = localized_blueprint("auth", __name__)


# Browsers drop tabs and newlines from a URL and read "\\" as "/", so "/\t/evil.example" and
# "/\\evil.example" lead off-site; unquoting once more catches what a second hop would decode.
_MAX_NEXT = 2000
_UNQUOTE_ROUNDS = 4


def _unsafe_char(char: str) -> bool:
    # Whitespace, controls, format characters (bidi, zero-width), separators, unassigned.
    return char.isspace() or unicodedata.category(char)[0] in "CZ"


def is_local_path(target: str) -> bool:
    """True when `target` is a path on this site, and stays one however often it is decoded."""
    if len(target) > _MAX_NEXT:
        return False
    for _round in range(_UNQUOTE_ROUNDS):
        if (not target.startswith("/") or target.startswith("//") or "\\" in target
                or any(_unsafe_char(c) for c in target)):
            return False
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            return False
        decoded = unquote(target)
        if decoded == target:
            return True
        target = decoded
    return False  # still changing after so many rounds: not a link anyone meant


def safe_next(target: str | None) -> str:
    """Where to go after login: `target` when it is a local path, else the desk (no open redirect)."""
    return target if target and is_local_path(target) else url_for("desk.index")


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
            return redirect(safe_next(request.args.get("next")))
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
