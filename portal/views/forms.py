"""The desk's forms; Flask-WTF gives each a CSRF token, checked on every POST."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..privacy import reasons


class LoginForm(FlaskForm):
    """User name and password."""

    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(_l("密码"), validators=[DataRequired(), Length(max=200)])


class UploadForm(FlaskForm):
    """A file of one kind for one department."""

    # Any code is accepted here; whether the user may act for it is checked on the server.
    department = SelectField(_l("所属部门"), validators=[DataRequired()], validate_choice=False)
    kind = SelectField(_l("公开类别"), validators=[DataRequired()])
    file = FileField(_l("文件(CSV、XLSX、JSON 或 YAML)"), validators=[FileRequired()])


class PublishForm(FlaskForm):
    """Confirm publishing; the reason is shown on the tombstones of withdrawn items."""

    reason = TextAreaField(_l("撤回原因(如有事项被撤回,将公开显示)"),
                           validators=[Optional(), Length(max=reasons.MAX_LENGTH)])
    # What was live when the preview was drawn: publishing refuses (409) if it has changed since.
    based_on = HiddenField(validators=[Optional(), Length(max=64)])
    # The uploader's word that codes whose names changed completely still name the same items.
    confirm_renamed = BooleanField(_l("我已核对:以上编码名称的变化属实,不是把旧编码用于新事项"))


class ConfirmForm(FlaskForm):
    """A button that changes something: discard, roll back, revoke, log out."""


class TokenForm(FlaskForm):
    """A new API token's name."""

    name = StringField(_l("令牌名称"), validators=[DataRequired(), Length(max=60)])


class UserForm(FlaskForm):
    """A new account, created by the efficiency office."""

    username = StringField(_l("用户名"), validators=[DataRequired(), Length(min=2, max=40)])
    password = PasswordField(_l("初始密码"), validators=[DataRequired(), Length(min=10, max=200)])
    department = SelectField(_l("所属部门"), validators=[Optional()])
    is_admin = BooleanField(_l("效能办管理员(可代任何部门操作)"))


class PurgeForm(FlaskForm):
    """Why an administrator removes a revision's personal data (kept in the audit log)."""

    reason = TextAreaField(_l("删除原因(记入审计日志)"), validators=[DataRequired(), Length(max=500)])


class HandOverForm(FlaskForm):
    """The efficiency office hands an item code to another department."""

    kind = SelectField(_l("公开类别"), validators=[DataRequired()])
    code = StringField(_l("事项编码"), validators=[DataRequired(), Length(max=64)])
    department = SelectField(_l("移交给"), validators=[DataRequired()])
    reason = TextAreaField(_l("移交原因"), validators=[DataRequired(), Length(max=500)])
