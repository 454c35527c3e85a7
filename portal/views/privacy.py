"""The desk's privacy actions: redact or confirm each finding of an upload; purge a revision.

Everything here changes what may be published, so every route is a POST with a
CSRF token, checks the account on the server, and is recorded in the audit log.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, url_for
from flask_babel import gettext as _

from ..desk import history, uploads
from ..extensions import db
from ..desk import purge as purging
from ..i18n.display import term
from ..privacy import confirmations, review
from ..privacy.labels import category_label
from ..schemas import KINDS
from .forms import ConfirmForm, PurgeForm
from .guard import admin_required, found_or_abort, login_required
from ..web.locale import localized_blueprint

bp = localized_blueprint("privacy", __name__)


def _pending(upload_id: int):
    upload = found_or_abort(uploads.pending_upload, upload_id)
    if upload.status != "pending":
        abort(409)
    return upload


@bp.route("/desk/uploads/<int:upload_id>/privacy/<key>/<any(redact,confirm):action>", methods=["POST"])
@login_required
def resolve(upload_id, key, action):
    """Redact one finding with the suggested mask, or confirm it is not personal data (a high-confidence
    finding: first its department, then an administrator of the efficiency office)."""
    upload = _pending(upload_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    plan, _diff = uploads.preview(db.session, upload)
    resolver = review.redact if action == "redact" else review.confirm
    try:
        found = resolver(db.session, g.user, upload, plan.live, key)
    except LookupError:
        flash(_("这处疑似个人信息已处理过"), "info")
        return redirect(url_for("desk.preview", upload_id=upload.id))
    except review.NeedsOffice:
        flash(_("这处疑似个人信息可信度高,已有一人确认,"
                "还须由效能办的另一位管理员(不是上传者,也不是第一位确认者)确认"),
              "error")
        return redirect(url_for("desk.preview", upload_id=upload.id))
    label, item = category_label(found.finding.category), term(KINDS[upload.kind].item_label)
    if action == "redact":
        flash(_("已隐去%(item)s %(code)s 中的%(category)s", item=item, code=found.code, category=label), "info")
    elif found.status == confirmations.AWAITING_OFFICE:
        flash(_("已确认%(item)s %(code)s 中的%(category)s不是个人信息(已记入审计日志)。它的可信度高,"
                "还须由效能办的另一位管理员确认后才能发布", item=item, code=found.code, category=label), "info")
    elif found.needs_office:
        flash(_("效能办已确认%(item)s %(code)s 中的%(category)s不是个人信息(已记入审计日志)",
                item=item, code=found.code, category=label), "info")
    else:
        flash(_("已确认%(item)s %(code)s 中的%(category)s不是个人信息(已记入审计日志)",
                item=item, code=found.code, category=label), "info")
    return redirect(url_for("desk.preview", upload_id=upload.id))


@bp.route("/desk/uploads/<int:upload_id>/privacy/redact-all", methods=["POST"])
@login_required
def redact_all(upload_id):
    """Accept every suggested redaction of an upload."""
    upload = _pending(upload_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    plan, _diff = uploads.preview(db.session, upload)
    count = review.redact_all(db.session, g.user, upload, plan.live)
    flash(_("已按建议隐去 %(count)s 处疑似个人信息", count=count), "info")
    return redirect(url_for("desk.preview", upload_id=upload.id))


@bp.route("/desk/revisions/<int:revision_id>/purge", methods=["POST"])
@admin_required
def purge(revision_id):
    """Remove a published revision's personal data (administrators only)."""
    try:
        revision = history.revision_for(db.session, g.user, revision_id)
    except LookupError:
        abort(404)
    form = PurgeForm()
    if not form.validate_on_submit():
        flash(_("请填写删除原因"), "error")
        return redirect(url_for("desk.revision", revision_id=revision_id))
    try:
        report = purging.purge(db.session, g.user.username, revision, form.reason.data)
    except purging.AlreadyPurged:
        flash(_("该版本的个人信息已删除过"), "info")
        return redirect(url_for("desk.revision", revision_id=revision_id))
    flash(_("已删除第 %(number)s 版的个人信息:%(records)s 条记录、%(items)s 个事项、%(events)s 条变更记录",
            number=revision.number, records=report.records, items=report.items, events=report.events), "info")
    return redirect(url_for("desk.revision", revision_id=revision_id))
