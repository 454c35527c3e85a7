"""Who is asking: the login guard for desk pages, and the department a user may act for."""

from __future__ import annotations

from functools import wraps

from flask import abort, g, redirect, request, url_for

from ..accounts import sessions
from ..desk.uploads import NotAllowed, check_allowed, department_by_code
from ..extensions import db


def login_required(view):
    """Let the view run only for a logged-in, active account (as g.user); else to the login page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        g.user = sessions.current_user(db.session)
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    """Like login_required, for the efficiency office's administrators only."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not g.user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def found_or_abort(load, *args):
    """Run a desk loader as g.user: its thing, or 404 when unknown or not theirs.

    Another department's upload or revision answers exactly as one that does not
    exist: a 403 would tell anyone who counts ids how much every department does.
    """
    try:
        return load(db.session, g.user, *args)
    except (LookupError, NotAllowed):
        abort(404)


def department_or_403(code: str):
    """The department named by `code` if g.user may act for it; 404 when unknown, 403 when not theirs."""
    try:
        department = department_by_code(db.session, code)
        check_allowed(g.user, department)
    except LookupError:
        abort(404)
    except NotAllowed:
        abort(403)
    return department
