"""The department desk: upload a file, read the report, preview, publish; history and rollback."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from ..accounts import tokens as api_tokens
from ..catalog import lookup
from ..desk import cautions, history, uploads
from ..desk.cautions import RenamesUnconfirmed
from ..desk.uploads import AlreadyDone
from ..extensions import db
from ..i18n.display import department_name, term
from .. import publish as publish_door
from ..ingest.templates import csv_template, xlsx_template
from ..models import StoredFile
from ..privacy import confirmations, review
from ..privacy.redact import shown_file_name
from ..privacy.reasons import ReasonRefused
from ..privacy.review import PersonalDataHeld
from ..schemas import KINDS, declared
from ..publish import namespaces
from .forms import ConfirmForm, HandOverForm, PublishForm, UploadForm
from .guard import admin_required, department_or_403, found_or_abort, login_required
from ..web.locale import localized_blueprint
from ..web.requests import or_404, page_number

bp = localized_blueprint("desk", __name__)

TEMPLATE_FORMATS = {
    "csv": ("text/csv", csv_template),  # Flask adds "; charset=utf-8" to a text type
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx_template),
}


def _upload_form() -> UploadForm:
    form = UploadForm()
    departments = lookup.departments(db.session) if g.user.is_admin else [g.user.department]
    form.department.choices = [(d.code, f"{department_name(d)} · {d.code}") for d in departments]
    form.kind.choices = [(name, term(kind.label)) for name, kind in KINDS.items()]
    return form


@bp.route("/desk/")
@login_required
def index():
    """The desk's home: upload form, templates, each kind's latest revision, and for administrators
    the uploads awaiting the efficiency office's confirmation."""
    form = _upload_form()
    departments = [g.user.department] if not g.user.is_admin else []
    latest = {
        kind: (history.revisions(db.session, departments[0], kind)[:1] or [None])[0]
        for kind in KINDS
    } if departments else {}
    awaiting = confirmations.awaiting_office(db.session) if g.user.is_admin else []
    return render_template("desk/index.html", form=form, latest=latest, awaiting=awaiting,
                           tokens=api_tokens.tokens_of(db.session, g.user))


@bp.route("/desk/uploads", methods=["POST"])
@login_required
def upload():
    """Validate an uploaded file; on problems show the report, else go to the preview."""
    form = _upload_form()
    if not form.validate_on_submit():
        return render_template("desk/index.html", form=form, latest={}, tokens=[], awaiting=[]), 400
    department = department_or_403(form.department.data)
    file = form.file.data
    data = file.read()
    staged = uploads.stage_upload(db.session, g.user, department, KINDS[form.kind.data],
                                  file.filename or "upload", data)
    if staged.problems:
        return render_template("desk/report.html", staged=staged, kind=KINDS[form.kind.data],
                               department=department), 422
    return redirect(url_for("desk.preview", upload_id=staged.upload.id))


@bp.route("/desk/uploads/<int:upload_id>")
@login_required
def preview(upload_id):
    """What publishing this upload would add, change (field by field) and withdraw."""
    upload = found_or_abort(uploads.pending_upload, upload_id)
    plan, diff = uploads.preview(db.session, upload)
    incoming = {plan.kind.key(r): r for r in plan.records}
    return render_template("desk/preview.html", upload=upload, kind=plan.kind, diff=diff,
                           incoming=incoming, live=plan.live,
                           cautions=cautions.cautions(db.session, upload, plan),
                           form=PublishForm(based_on=publish_door.live_hash(plan.live)),
                           discard=ConfirmForm(),
                           findings=review.upload_findings(db.session, upload, plan.live),
                           for_office=lambda f: confirmations.may_confirm_for_office(g.user, upload,
                                                                                    f.confirmed_by))


@bp.route("/desk/uploads/<int:upload_id>/publish", methods=["POST"])
@login_required
def publish(upload_id):
    """Publish a previewed upload as a new revision."""
    upload = found_or_abort(uploads.pending_upload, upload_id)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        revision = uploads.publish_upload(db.session, g.user, upload, form.reason.data,
                                          based_on=form.based_on.data or None,
                                          renames_confirmed=form.confirm_renamed.data)
    except publish_door.Conflict as conflict:
        if conflict.problems:
            staged = uploads.Staged(filename=upload.filename, problems=conflict.problems)
            return render_template("desk/report.html", staged=staged, kind=KINDS[upload.kind],
                                   department=upload.department), 409
        flash(conflict.message, "error")
        return redirect(url_for("desk.preview", upload_id=upload.id)), 409
    except AlreadyDone:
        flash(_("该上传已处理过,不能重复发布"), "error")
        return redirect(url_for("desk.preview", upload_id=upload.id))
    except RenamesUnconfirmed:
        flash(_("有编码的名称完全改变:请核对后勾选确认,再发布"), "error")
        return redirect(url_for("desk.preview", upload_id=upload.id))
    except PersonalDataHeld as held:
        flash(_("还有 %(count)s 处疑似个人信息未处理:请逐项隐去或确认不是个人信息后再发布",
                count=len(held.findings)), "error")
        return redirect(url_for("desk.preview", upload_id=upload.id))
    except ReasonRefused as refused:
        flash(refused.message, "error")
        return redirect(url_for("desk.preview", upload_id=upload.id))
    if revision is None:
        flash(_("与已公开内容相同,没有变化需要发布"), "info")
        return redirect(url_for("desk.index"))
    flash(_("已发布为第 %(number)s 版", number=revision.number), "info")
    return redirect(url_for("desk.revision", revision_id=revision.id))


@bp.route("/desk/uploads/<int:upload_id>/discard", methods=["POST"])
@login_required
def discard(upload_id):
    """Drop a pending upload."""
    upload = found_or_abort(uploads.pending_upload, upload_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        uploads.discard_upload(db.session, g.user, upload)
    except AlreadyDone:
        pass
    flash(_("已放弃这次上传,未作任何更改"), "info")
    return redirect(url_for("desk.index"))


@bp.route("/desk/history/<department>/<kind>/")
@login_required
def history_list(department, kind):
    """Every revision of a department's list of one kind."""
    if kind not in KINDS:
        abort(404)
    found = department_or_403(department)
    return render_template("desk/history.html", department=found, kind=KINDS[kind],
                           revisions=history.revisions(db.session, found, kind))


@bp.route("/desk/revisions/<int:revision_id>/")
@login_required
def revision(revision_id):
    """One revision: who published it, from which file, and its diff."""
    found = found_or_abort(history.revision_for, revision_id)
    events = or_404(history.events_of, db.session, found, page_number(), current_app.config["PAGE_SIZE"])
    # A department's own record is revisioned too (kind "departments"): shown, but it has no
    # history list or rollback on the desk; the efficiency office changes departments.
    return render_template("desk/revision.html", revision=found, kind=declared(found.kind),
                           filename=shown_file_name(found.filename),
                           disclosure=found.kind in KINDS, events=events, form=ConfirmForm())


@bp.route("/desk/revisions/<int:revision_id>/rollback", methods=["POST"])
@login_required
def rollback(revision_id):
    """Publish this revision's state again as a new revision."""
    found = found_or_abort(history.revision_for, revision_id)
    if found.kind not in KINDS:  # departments are not rolled back from the desk
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        new = history.rollback(db.session, g.user, found)
    except publish_door.Conflict as conflict:
        flash(conflict.message, "error")
        return redirect(url_for("desk.revision", revision_id=found.id)), 409
    except PersonalDataHeld:
        flash(_("该版本含有未经确认的疑似个人信息,不能回退到该版本"), "error")
        return redirect(url_for("desk.revision", revision_id=found.id))
    except ValueError:  # a version whose personal data was purged is never published again
        flash(_("该版本的个人信息已被删除,不能回退到该版本"), "error")
        return redirect(url_for("desk.revision", revision_id=found.id))
    if new is None:
        flash(_("当前公开内容已与该版本相同"), "info")
        return redirect(url_for("desk.revision", revision_id=found.id))
    flash(_("已回退:第 %(old)s 版的内容重新发布为第 %(new)s 版", old=found.number, new=new.number), "info")
    return redirect(url_for("desk.revision", revision_id=new.id))


@bp.route("/desk/revisions/<int:revision_id>/file")
@login_required
def revision_file(revision_id):
    """The original file a revision was published from, as uploaded."""
    found = found_or_abort(history.revision_for, revision_id)
    stored = db.session.get(StoredFile, found.file_sha256) if found.file_sha256 else None
    if stored is None or not stored.size:  # never stored, or emptied by a privacy purge
        abort(404)
    extension = (found.filename or "").rsplit(".", 1)[-1].lower()
    name = f"{found.department.code}-{found.kind}-{found.number}.{extension if extension.isalnum() else 'bin'}"
    return Response(stored.data, mimetype="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "X-Content-Type-Options": "nosniff"})


@bp.route("/desk/templates/<kind>.<fmt>")
@login_required
def template_file(kind, fmt):
    """The upload template of a kind, as XLSX or CSV."""
    return template_response(kind, fmt)


def template_response(kind: str, fmt: str) -> Response:
    """A template download, or 404 for an unknown kind or format."""
    if kind not in KINDS or fmt not in TEMPLATE_FORMATS:
        abort(404)
    mimetype, build = TEMPLATE_FORMATS[fmt]
    return Response(build(KINDS[kind]), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{kind}-template.{fmt}"'})


@bp.route("/desk/codes/hand-over", methods=["GET", "POST"])
@admin_required
def hand_over():
    """The efficiency office hands an item code to another department (after an institutional reform)."""
    form = HandOverForm()
    form.kind.choices = [(name, term(kind.label)) for name, kind in KINDS.items()]
    form.department.choices = [(d.code, f"{department_name(d)} · {d.code}") for d in lookup.departments(db.session)]
    if form.validate_on_submit():
        department = lookup.department(db.session, form.department.data)
        try:
            namespaces.hand_over(db.session, g.user, KINDS[form.kind.data], form.code.data.strip(), department,
                                 form.reason.data)
        except namespaces.HandOverRefused as refused:
            db.session.rollback()
            flash(str(refused), "error")
            return render_template("desk/hand_over.html", form=form), 409
        db.session.commit()
        flash(_("编码 %(code)s 已移交%(department)s", code=form.code.data.strip(),
                department=department_name(department)), "info")
        return redirect(url_for("desk.hand_over"))
    return render_template("desk/hand_over.html", form=form), 400 if form.is_submitted() else 200
