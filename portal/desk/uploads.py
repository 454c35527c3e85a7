"""Uploads: read and validate a department's file, stage it for preview, publish it.

Nothing reaches the public until `publish_upload`: staging stores the validated
records and the original file so the preview and the publish agree exactly.
A file with any problem stages nothing at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from .. import publish
from ..accounts import audit
from ..ingest.readers import ReadError, Sheet, read
from ..models import Department, Revision, StoredFile, Upload, User
from ..publish.canonical import content_hash, sha256
from ..publish.diff import Diff
from ..publish.plan import Plan, department_spellings, diffed
from ..privacy.redact import redact
from ..privacy.review import PersonalDataHeld
from ..schemas import KINDS, Kind, Problem
from .cautions import check_renames


class NotAllowed(PermissionError):
    """The account may not act for that department (or that upload)."""


@dataclass
class Staged:
    """The outcome of an upload attempt: an Upload to preview, or the problems found."""

    upload: Upload | None = None
    problems: list[Problem] = field(default_factory=list)
    filename: str = ""


# Control characters and bidi overrides can disguise a name (e.g. "exe.csv" shown as "vsc.exe").
_UNSAFE_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def display_name(filename: str) -> str:
    """An uploaded file's name as it is shown back: no folders, control or bidi characters.

    The name is only ever displayed; files are stored by their SHA-256 and served
    under generated names.
    """
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    return _UNSAFE_NAME.sub("", name).strip()[:200] or "upload"


def check_allowed(user: User, department: Department) -> None:
    """Raise NotAllowed unless `user` may act for `department` (checked on the server, always)."""
    if not user.may_act_for(department):
        raise NotAllowed(department.code)


def store_file(session: Session, data: bytes) -> StoredFile:
    """Archive a file's bytes under its SHA-256 (once per distinct content)."""
    digest = sha256(data)
    stored = session.get(StoredFile, digest)
    if stored is None:
        stored = StoredFile(sha256=digest, size=len(data), data=data)
        session.add(stored)
    return stored


def stage_upload(
    session: Session, user: User, department: Department, kind: Kind, filename: str, data: bytes
) -> Staged:
    """Read and validate a file as `department`'s complete list of `kind`.

    On success the records, the preview counts and the original file are kept as a
    pending Upload; on any problem nothing is kept and the problems are returned.
    """
    check_allowed(user, department)
    filename = display_name(filename)
    staged = Staged(filename=filename)
    try:
        sheet: Sheet = read(filename, data, kind)
    except ReadError as error:
        staged.problems = [error.problem()]
    else:
        plan = publish.prepare(session, department, kind, sheet)
        staged.problems = plan.problems
    if staged.problems:
        session.rollback()
        audit.record(session, user.username, "upload.rejected", department=department, kind=kind.name,
                     file_sha256=sha256(data), problems=len(staged.problems))
        session.commit()
        return staged
    stored = store_file(session, data)
    staged.upload = Upload(
        user=user, department=department, kind=kind.name, filename=redact(filename)[:200],
        file_sha256=stored.sha256, records=plan.records, counts=plan.diff.counts(),
        rows={kind.key(record): number for number, record in plan.numbered},
    )
    session.add(staged.upload)
    session.flush()
    audit.record(session, user.username, "upload.staged", department=department, kind=kind.name,
                 content_hash=content_hash(plan.records), file_sha256=stored.sha256, upload=staged.upload.id)
    session.commit()
    return staged


def pending_upload(session: Session, user: User, upload_id: int) -> Upload:
    """A pending upload the user may see, or LookupError / NotAllowed."""
    upload = session.get(Upload, upload_id)
    if upload is None:
        raise LookupError(upload_id)
    check_allowed(user, upload.department)
    return upload


def preview(session: Session, upload: Upload) -> tuple[Plan, Diff]:
    """Diff a staged upload against what is live now (it may have changed since staging).

    Publishing with `based_on=publish.live_hash(plan.live)` publishes exactly this diff,
    or answers Conflict when what is live has changed again since.
    """
    plan = diffed(session, upload.department, KINDS[upload.kind], upload.records)
    return plan, plan.diff


class AlreadyDone(ValueError):
    """The upload was published or discarded already."""


def publish_upload(session: Session, user: User, upload: Upload, reason: str | None = None,
                   based_on: str | None = None, renames_confirmed: bool = False) -> Revision | None:
    """Publish a pending upload as a new revision through the door; audit it in the same transaction.

    `based_on` is the live hash the user's preview showed (None: publish against whatever is
    live, in order). Raises `publish.Conflict` when it no longer matches, or when another
    department took one of the upload's codes since it was staged, and `RenamesUnconfirmed`
    when a code's name changes completely and `renames_confirmed` is not given.
    """
    check_allowed(user, upload.department)
    check_renames(session, upload, renames_confirmed)
    try:
        with publish.opened(session) as writer:
            if upload.status != "pending":  # read under the lock: two clicks publish once
                raise AlreadyDone(upload.status)
            revision = writer.publish(
                upload.department, KINDS[upload.kind], upload.records, author=user.username,
                source="upload", filename=upload.filename, file_sha256=upload.file_sha256,
                reason=reason or None, based_on=based_on,
            )
            upload.status, upload.revision_id = "published", revision.id if revision else None
            counts = {"added": revision.added, "changed": revision.changed,
                      "withdrawn": revision.withdrawn} if revision else {}
            audit.record(session, user.username, "upload.published", department=upload.department,
                         kind=upload.kind, revision=revision, content_hash=content_hash(upload.records),
                         upload=upload.id, **counts)
    except publish.Conflict as conflict:
        if not conflict.problems:
            raise
        raise publish.Conflict(conflict.message, _in_file(session, upload, conflict.problems)) from conflict
    except PersonalDataHeld as held:  # the door knows records, not rows: name them as the preview does
        rows = upload.rows or {}
        raise PersonalDataHeld([replace(f, row=rows.get(f.code)) for f in held.findings]) from held
    return revision


def _in_file(session: Session, upload: Upload, problems: list[Problem]) -> list[Problem]:
    """The door's problems with an upload's records, numbered by the row (and sheet) of the file
    as the uploader sees it, the way the report at staging numbered them.

    The door numbers a problem by its record's place in `upload.records`; the file is read
    again to find that record's row (only when publishing was refused, so the cost is rare).
    A record no longer found in the file as it validates today keeps no row.
    """
    kind = KINDS[upload.kind]
    stored = session.get(StoredFile, upload.file_sha256)
    try:
        sheet = read(upload.filename, stored.data, kind) if stored is not None else Sheet()
    except ReadError:
        sheet = Sheet()
    spellings = department_spellings(session)
    rows: dict[str, int] = {}
    for number, raw in sheet.rows:
        validated = kind.validate([(number, raw)], spellings)
        for record in validated.records:
            rows.setdefault(kind.key(record), number)
    located = []
    for problem in problems:
        record = upload.records[problem.row - 1] if problem.row and problem.row <= len(upload.records) else None
        row = rows.get(kind.key(record)) if record is not None else None
        located.append(replace(problem, row=row, sheet=sheet.sheet if row else None))
    return located


def discard_upload(session: Session, user: User, upload: Upload) -> None:
    """Drop a pending upload without publishing it."""
    check_allowed(user, upload.department)
    if upload.status != "pending":
        raise AlreadyDone(upload.status)
    upload.status = "discarded"
    audit.record(session, user.username, "upload.discarded", department=upload.department,
                 kind=upload.kind, upload=upload.id)
    session.commit()


def department_by_code(session: Session, code: str) -> Department:
    """The department with this code, or LookupError."""
    found = Department.by_code(session, code)
    if found is None:
        raise LookupError(code)
    return found

