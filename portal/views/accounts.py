"""Accounts on the web: the efficiency office creates department accounts; everyone manages tokens."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts import tokens, users
from ..catalog import lookup
from ..extensions import db
from ..i18n.display import department_name
from ..models import ApiToken, User
from .forms import ConfirmForm, TokenForm, UserForm
from .guard import admin_required, department_or_403, login_required
from ..web.locale import localized_blueprint

bp = localized_blueprint("accounts", __name__)


@bp.route("/desk/tokens", methods=["GET", "POST"])
@login_required
def token_list():
    """The user's API tokens; a new one is shown once, right after it is made."""
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        _token, secret = tokens.create_token(db.session, g.user, form.name.data, g.user.username)
        db.session.commit()
    return render_template("desk/tokens.html", form=form, secret=secret, revoke=ConfirmForm(),
                           tokens=tokens.tokens_of(db.session, g.user))


@bp.route("/desk/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def token_revoke(token_id):
    """Revoke one of the user's tokens (administrators may revoke any)."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    if token.user_id != g.user.id and not g.user.is_admin:
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if token.revoked_at is None:
        tokens.revoke_token(db.session, token, g.user.username)
        db.session.commit()
    flash(_("令牌 %(prefix)s… 已作废", prefix=token.prefix), "info")
    return redirect(url_for("accounts.token_list"))


@bp.route("/desk/users", methods=["GET", "POST"])
@admin_required
def user_list():
    """Every account; administrators create department accounts here."""
    form = UserForm()
    form.department.choices = [("", "—")] + [
        (d.code, f"{department_name(d)} · {d.code}") for d in lookup.departments(db.session)
    ]
    status = 200
    if form.validate_on_submit():
        department = department_or_403(form.department.data) if form.department.data else None
        try:
            user = users.create_user(db.session, form.username.data, form.password.data, department,
                                     is_admin=form.is_admin.data, created_by=g.user.username)
            db.session.commit()
            flash(_("已创建账号 %(name)s", name=user.username), "info")
            return redirect(url_for("accounts.user_list"))
        except users.AccountError as error:
            db.session.rollback()
            flash(str(error), "error")
            status = 422
    elif form.is_submitted():
        status = 400
    accounts = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("desk/users.html", form=form, accounts=accounts), status
