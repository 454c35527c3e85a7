"""The one door for writes: the transaction, the hash chain's head and the announcement.

Everything that changes what the public sees comes through here — the content
loader, a department's upload (web or API), a rollback, a change to the list of
departments and a privacy purge:

    with door.opened(session) as writer:
        revision = writer.publish(department, kind, records, author=…, source=…)
        …the caller's own rows (an upload's status, the audit entry)…
    # committed, then announced to every projection (search, flowcharts, …)

`opened` ends whatever read transaction the session had and takes the chain's
head under a lock (SQLite `BEGIN IMMEDIATE`, a transaction-level advisory lock on
PostgreSQL), so two publishes never race for the same predecessor: the second
waits, then diffs against what the first left live. Inside, `publish` diffs the
records against what is live *now* and re-checks that no other department took
one of their codes meanwhile; when what is live is no longer what the caller
previewed (`based_on`), it raises `Conflict` instead of publishing a diff nobody
saw. The block commits as a whole or not at all.

A loader publishing many files in one opening (the content loader: a department's
files) may split `publish` in two: `check` runs the same checks on a validated plan
under the lock, and `publish_checked` applies it without reading again, provided it
was checked in this opening and nothing was published since.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ..models import Department, Revision
from ..privacy import review
from ..schemas import DEPARTMENTS, Kind, Problem
from . import apply as applying
from .canonical import content_hash
from .departments import publish_departments
from .plan import Plan, checked, diffed, ownership_problems
from .references import withdrawal_problems
from .signals import published

# Any constant shared by every app server: the key of PostgreSQL's advisory lock on the chain.
_CHAIN_LOCK = 0x6D696E676A696E67  # "mingjing"


class Conflict(Exception):
    """What is live changed under the caller: nothing was written; preview and try again (HTTP 409)."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


@dataclass
class Writer:
    """What may be done inside the door: each call adds revisions to the one transaction."""

    session: Session
    revisions: list[Revision] = field(default_factory=list)
    # This opening of the door, as the plans it checked know it (`check`, `publish_checked`).
    token: object = field(default_factory=object)

    def publish(
        self,
        department: Department,
        kind: Kind,
        records: list[dict],
        *,
        author: str,
        source: str,
        filename: str | None = None,
        file_sha256: str | None = None,
        reason: str | None = None,
        based_on: str | None = None,
        screening: review.Screening | None = None,
    ) -> Revision | None:
        """Publish `records` as the complete list of `kind` for `department`.

        Returns the new revision, or None when nothing changes. `based_on` is the
        `live_hash` of what the caller previewed: when what is live differs now,
        `Conflict` is raised and nothing is written. The problems of a Conflict are
        numbered by the record's place in `records` as given (1 for the first), which
        the caller can turn into the rows of its file. `screening` is what the caller's
        preparation found in the records (`Plan.screening`): the door still refuses any
        unresolved finding, but does not read again a record screened exactly as it is.
        """
        plan = diffed(self.session, department, kind, records)
        if based_on is not None and live_hash(plan.live) != based_on:
            raise Conflict(str(_l("预览之后,本部门的%(kind)s已有新的发布,请重新预览后再发布",
                                  kind=kind.label)))
        numbered = list(enumerate(records, start=1))
        problems = ownership_problems(self.session, department, kind, numbered)
        if problems:
            raise Conflict(str(_l("部分编码已被其他部门使用,请修改后重新上传")), problems)
        # Checked again under the lock: a commitment may have been published since the preview.
        # A privacy purge withdraws whatever holds personal data, whoever still refers to it.
        problems = withdrawal_problems(self.session, department, kind, plan.diff) if source != "purge" else []
        if problems:
            raise Conflict(problems[0].message, problems)
        revision = applying.apply(self.session, plan, author=author, source=source, filename=filename,
                                  file_sha256=file_sha256, reason=reason, screening=screening)
        if revision is not None:
            self.revisions.append(revision)
        return revision

    def check(self, plan: Plan, coming: Mapping[str, list[dict]] | None = None) -> Plan:
        """Check a validated plan (`portal.publish.plan.validated`) against what is live now, under the lock.

        The checks `publish` would run again (codes' ownership, the checks across kinds,
        the diff, withdrawals others rely on, the privacy screening), run once: a clean
        plan returned here is handed to `publish_checked` without being read again.
        `coming`: the department's new lists of other kinds that the caller publishes in this
        opening after this one, read for the withdrawals others rely on as they will be; the
        caller must not commit unless every one of them is published.
        """
        found = checked(self.session, plan, coming)
        # Nothing else can write while the door is open: only this writer's own publishes
        # can move what the plan was checked against.
        found.checked_under = (self.token, len(self.revisions))
        return found

    def publish_checked(self, plan: Plan, *, author: str, source: str, filename: str | None = None,
                        file_sha256: str | None = None) -> Revision | None:
        """Publish a plan checked by `check` in this door, with nothing published since.

        Returns the new revision, or None when nothing changes. A plan with problems,
        or with findings nobody resolved, is refused like `publish` refuses them.
        """
        under = plan.checked_under
        if under is None or under[0] is not self.token or under[1] != len(self.revisions):
            raise RuntimeError("a plan must be checked in this door, after its latest publish")
        if not plan.ok:
            raise ValueError("a plan with problems cannot be applied")
        revision = applying.apply(self.session, plan, author=author, source=source, filename=filename,
                                  file_sha256=file_sha256, screening=plan.screening)
        if revision is not None:
            self.revisions.append(revision)
        return revision

    def publish_departments(self, records: list[dict], *, author: str, source: str,
                            filename: str | None = None, file_sha256: str | None = None) -> list[Revision]:
        """Add or change departments (reference data): one revision per department that changed."""
        found = publish_departments(self.session, DEPARTMENTS, records, author=author, source=source,
                                    filename=filename, file_sha256=file_sha256)
        self.revisions.extend(found)
        return found


def live_hash(live: dict[str, dict]) -> str:
    """The hash of what is live for one department and kind (what a preview was computed against)."""
    return content_hash([live[code] for code in sorted(live)])


def _take_chain_head(session: Session) -> None:
    """Begin the write transaction holding the lock that serialises every publish."""
    if session.get_bind().dialect.name == "sqlite":
        # Our SQLite connections begin transactions themselves (portal.extensions); this one
        # begins IMMEDIATE, taking the database's write lock before reading the chain's head.
        session.connection(execution_options={"portal_immediate": True})
    else:
        # Wait as long as SQLite would (WRITE_WAIT_SECONDS), not for ever: a publish stuck
        # behind another answers 409 rather than holding a worker until it is killed.
        wait = f"{max(1, round(current_app.config['WRITE_WAIT_SECONDS'] * 1000))}ms"
        session.execute(text("SELECT set_config('lock_timeout', :wait, true)"), {"wait": wait})
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
        session.execute(text("SET LOCAL lock_timeout TO DEFAULT"))  # the publish itself waits as ever


@contextmanager
def opened(session: Session) -> Iterator[Writer]:
    """Open the door: lock the chain's head, yield a Writer, commit the block, announce its revisions.

    The session must have no pending changes (commit or discard them first): the
    read transaction it may hold is ended, so that the write sees what is live.
    """
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("commit or discard pending changes before publishing")
    session.rollback()
    try:
        _take_chain_head(session)
    except OperationalError as error:  # the lock still held by another publish after WRITE_WAIT_SECONDS
        session.rollback()
        raise Conflict(str(_l("另一项发布正在进行,请稍后再试"))) from error
    writer = Writer(session)
    try:
        yield writer
        session.commit()
    except BaseException:
        session.rollback()
        raise
    app = current_app._get_current_object()
    for revision in writer.revisions:
        published.send(app, revision=revision)

