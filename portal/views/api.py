"""The upload API for departments that script their publishing: Bearer tokens, JSON answers.

The same checks, authorisation and audit as the web desk: these views call the
same services. No cookies are read here, so no CSRF token is needed or accepted.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _

from ..accounts import tokens
from ..desk import uploads
from ..desk.cautions import RenamesUnconfirmed
from ..desk.uploads import AlreadyDone, NotAllowed
from ..extensions import begin_write, csrf, db
from .. import publish
from ..i18n import negotiate
from ..privacy import review
from ..privacy.reasons import ReasonRefused
from ..privacy.review import PersonalDataHeld
from ..schemas import KINDS
from .desk import template_response

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.before_request
def choose_language():
    """Messages in the language the client asks for (Accept-Language), by default Simplified."""
    g.lang = negotiate.choose(request.accept_languages)


def error(status: int, message: str, **extra):
    """A JSON error answer; every 4xx from this API carries one."""
    return jsonify({"error": message, "status": status, **extra}), status


def token_required(view):
    """Run the view for the account whose Bearer token is presented, else 401."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        # Recording the token's use is a write: take the write lock before reading the token,
        # so that during another publish this waits its turn instead of failing.
        begin_write(db.session)
        scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
        user = tokens.user_for_token(db.session, secret.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            return error(401, _("缺少有效的 API 令牌(Authorization: Bearer …)"))
        db.session.commit()  # records the token's last use
        g.user = user
        return view(*args, **kwargs)

    return wrapped


@bp.route("/templates/<kind>.<fmt>")
@token_required
def template(kind, fmt):
    """The upload template of a kind (csv or xlsx)."""
    return template_response(kind, fmt)


def _upload_json(upload, problems=(), department=None, kind: str | None = None) -> dict:
    # A rejected file has no upload, but the department and kind it was meant for are known.
    return {
        "id": upload.id if upload else None,
        "ok": upload is not None,
        "status": upload.status if upload else "rejected",
        "department": upload.department.code if upload else department.code if department else None,
        "kind": upload.kind if upload else kind,
        "counts": upload.counts if upload else None,
        "errors": [p.as_dict() for p in problems],
        # Probable personal data to redact or confirm (POST …/privacy/<key>) before publishing; each
        # has a `status`: open, or awaiting_office (confirmed once, the efficiency office to confirm).
        "privacy": _privacy(upload),
    }


def _privacy(upload) -> list[dict]:
    if upload is None or upload.status != "pending":
        return []
    plan, _diff = uploads.preview(db.session, upload)
    return [f.as_dict() for f in review.upload_findings(db.session, upload, plan.live)]


@bp.route("/uploads", methods=["POST"])
@token_required
def create_upload():
    """Validate a file (form fields `kind`, `file`, and `department` for administrators)."""
    kind = request.form.get("kind", "")
    file = request.files.get("file")
    if kind not in KINDS:
        return error(400, _("未知的公开类别:“%(kind)s”", kind=kind[:40]), kinds=list(KINDS))
    if file is None:
        return error(400, _("缺少文件(表单字段 file)"))
    code = request.form.get("department") or (g.user.department.code if g.user.department else "")
    try:
        department = uploads.department_by_code(db.session, code)
        staged = uploads.stage_upload(db.session, g.user, department, KINDS[kind],
                                      file.filename or "upload", file.read())
    except LookupError:
        return error(404, _("未知的部门:“%(value)s”", value=code[:40]))
    except NotAllowed:
        return error(403, _("无权发布该部门的数据"))
    body = _upload_json(staged.upload, staged.problems, department, kind)
    return jsonify(body), 201 if staged.upload else 422


@bp.route("/uploads/<int:upload_id>", methods=["GET"])
@token_required
def show_upload(upload_id):
    """A staged upload's status and preview counts."""
    try:
        upload = uploads.pending_upload(db.session, g.user, upload_id)
    except (LookupError, NotAllowed):  # another department's upload is not there, as far as you know
        return error(404, _("没有这个上传"))
    return jsonify(_upload_json(upload))


@bp.route("/uploads/<int:upload_id>/publish", methods=["POST"])
@token_required
def publish_upload(upload_id):
    """Publish a clean staged upload; optional form field `reason` for withdrawals (shown publicly:
    at most 500 characters, and no personal data), and `confirm_renamed=1` when codes whose names
    change completely still name the same items."""
    try:
        upload = uploads.pending_upload(db.session, g.user, upload_id)
        revision = uploads.publish_upload(db.session, g.user, upload, request.form.get("reason"),
                                          based_on=request.form.get("based_on") or None,
                                          renames_confirmed=request.form.get("confirm_renamed") == "1")
    except (LookupError, NotAllowed):
        return error(404, _("没有这个上传"))
    except AlreadyDone:
        return error(409, _("该上传已处理过,不能重复发布"))
    except RenamesUnconfirmed as unconfirmed:
        return error(409, _("以下编码的名称完全改变,可能是编码被重复使用;核对属实后请加上 confirm_renamed=1 再发布:%(codes)s",
                            codes="、".join(unconfirmed.codes)), renamed=unconfirmed.codes)
    except publish.Conflict as conflict:
        return error(409, conflict.message, problems=[p.as_dict() for p in conflict.problems])
    except PersonalDataHeld as held:
        return error(409, _("还有 %(count)s 处疑似个人信息未处理:请逐项隐去或确认不是个人信息后再发布",
                            count=len(held.findings)), privacy=[f.as_dict() for f in held.findings])
    except ReasonRefused as refused:  # too long (500 characters at most), or with personal data
        return error(422, refused.message, reason=refused.as_dicts())
    return jsonify({**_upload_json(upload), "revision": revision.number if revision else None,
                    "changed": revision is not None})


@bp.route("/uploads/<int:upload_id>/privacy/<key>", methods=["POST"])
@token_required
def resolve_finding(upload_id, key):
    """Resolve one finding: form field `action` is `redact` (use the suggestion) or `confirm`
    (not personal data; audited). A high-confidence finding confirmed once has the status
    `awaiting_office`: an administrator of the efficiency office, neither the uploader nor the
    first to confirm, confirms it again before it may be published."""
    action = request.form.get("action", "")
    if action not in ("redact", "confirm"):
        return error(400, _("action 须为 redact 或 confirm"))
    try:
        upload = uploads.pending_upload(db.session, g.user, upload_id)
    except (LookupError, NotAllowed):
        return error(404, _("没有这个上传"))
    if upload.status != "pending":
        return error(409, _("该上传已处理过,不能重复发布"))
    plan, _diff = uploads.preview(db.session, upload)
    resolver = review.redact if action == "redact" else review.confirm
    try:
        resolver(db.session, g.user, upload, plan.live, key)
    except LookupError:
        return error(404, _("没有这处疑似个人信息(可能已处理)"))
    except review.NeedsOffice:
        return error(403, _("这处疑似个人信息可信度高,已有一人确认,"
                               "还须由效能办的另一位管理员(不是上传者,也不是第一位确认者)确认"))
    return jsonify(_upload_json(upload))
