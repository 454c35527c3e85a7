"""Accounts on the web: the efficiency office creates and deactivates department accounts;
everyone manages their tokens and changes their own password."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from ..accounts import manage, tokens, users
from ..catalog import lookup
from ..extensions import db
from ..i18n.display import department_name
from ..models import ApiToken, User
from .forms import ConfirmForm, TokenForm, UserForm
from .guard import admin_required, department_or_403, login_required
from ..web.locale import localized_blueprint

bp = localized_blueprint("accounts", __name__)


class PasswordForm(FlaskForm):
    """The current password, and the new one twice."""

    current = PasswordField(_l("当前密码"), validators=[DataRequired(), Length(max=200)])
    new = PasswordField(_l("新密码"), validators=[DataRequired(), Length(max=200)])
    again = PasswordField(_l("再次输入新密码"), validators=[
        DataRequired(), EqualTo("new", message=_l("两次输入的新密码不一致"))])


@bp.route("/desk/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password; every other login session of the account ends and its API
    tokens are revoked (the page says how many, so the clerk knows to make new ones)."""
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            _ended, revoked = manage.change_password(db.session, g.user, form.current.data, form.new.data,
                                                     request.remote_addr or "")
        except users.AccountError as error:
            db.session.rollback()
            flash(str(error), "error")
            status = 422
        else:
            db.session.commit()
            flash(_("密码已修改;其他设备上的登录已全部退出"), "info")
            if revoked:
                flash(_("作废了本账号的 %(tokens)s 个 API 令牌;使用它们的程序需要新的令牌", tokens=revoked), "info")
            return redirect(url_for("desk.index"))
    elif form.is_submitted():
        status = 400
    return render_template("desk/password.html", form=form), status


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
    # Someone else's token is not found, as for a missing one: its id tells nothing.
    if token is None or (token.user_id != g.user.id and not g.user.is_admin):
        abort(404)
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
    return render_template("desk/users.html", form=form, accounts=accounts, deactivate=ConfirmForm()), status


@bp.route("/desk/users/<int:user_id>/deactivate", methods=["POST"])
@admin_required
def user_deactivate(user_id):
    """Deactivate an account: no more logins, its sessions ended and its API tokens revoked."""
    account = db.session.get(User, user_id)
    if account is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ended, revoked = manage.deactivate(db.session, account, g.user.username, by=g.user)
    except users.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("已停用账号 %(name)s:结束了 %(sessions)s 个登录,作废了 %(tokens)s 个 API 令牌",
                name=account.username, sessions=ended, tokens=revoked), "info")
    return redirect(url_for("accounts.user_list"))
