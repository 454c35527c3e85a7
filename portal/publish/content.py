"""Load a content directory (the sample city, or a city's own files) through the write path.

Layout: `departments.csv`, then `disclosures/<部门编码>/<kind>.csv|yaml`. Each
file is validated as a whole: a malformed file is reported (file, row, column)
and nothing from it is stored, while the other files still load. Each file's
records are screened for personal data as it is read; the door reuses that
screening for every record it still holds for. A department's valid files are
published through one opening of the door (one transaction), each as its own
revision. Loading the same files twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..ingest.readers import ReadError, read
from ..models import Department
from ..privacy import review
from ..privacy.screening import public_now
from ..schemas import DEPARTMENTS, KINDS, Problem
from . import collector
from .canonical import sha256
from .door import opened
from .plan import Plan, department_spellings
from .readahead import reads
from .references import REFERRERS


@dataclass
class FileReport:
    """What loading one file did: its problems, or the revision it published."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    revision: int | None = None
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class LoadReport:
    """What loading a directory did, file by file."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no file had problems."""
        return not any(f.problems for f in self.files)


def load_directory(session: Session, root: Path, author: str = "content",
                   read_ahead: bool = False) -> LoadReport:
    """Load departments then every department's disclosures found under `root`.

    `read_ahead`: read the next departments' files in a second process while publishing
    (`portal.publish.readahead`), for a machine with a core to spare: the same outcome,
    sooner, for about a quarter more CPU in all.
    """
    report = LoadReport()
    departments_file = root / "departments.csv"
    if departments_file.exists():
        report.files.append(_load_departments(session, root, departments_file))
    disclosures = root / "disclosures"
    folders = sorted(p for p in disclosures.iterdir() if p.is_dir()) if disclosures.is_dir() else []
    known = []  # (department, its files), for each folder that names a department
    for folder in folders:
        files = [(kind, folder / f"{kind.name}.{kind.file_format}") for kind in KINDS.values()]
        files = [(kind, path) for kind, path in files if path.exists()]
        department = Department.by_code(session, folder.name) if files else None
        if department is not None:
            known.append((department, files))
        else:
            report.files += [FileReport(_relative(root, path), [Problem(None, None, str(
                _l("未知的部门:“%(value)s”", value=folder.name)))]) for _kind, path in files]
    spellings, public = department_spellings(session), public_now(session)
    batches = [[(kind.name, str(path)) for kind, path in files] for _department, files in known]
    with collector.paused():
        for (department, files), done in zip(known, reads(batches, spellings, public, process=read_ahead)):
            report.files += _load_folder(session, root, department, files, done, author)
            del done
            collector.collect()
    return report


def _relative(root: Path, path: Path) -> str:
    return str(path.relative_to(root))


def _load_departments(session, root, path) -> FileReport:
    """Departments are reference data: validated like a disclosure, published through the door."""
    file_report = FileReport(_relative(root, path))
    try:
        sheet = read(path.name, path.read_bytes(), DEPARTMENTS)
    except ReadError as error:
        file_report.problems.append(error.problem())
        return file_report
    file_report.problems = DEPARTMENTS.check_headers(sheet.headers)
    validated = DEPARTMENTS.validate(sheet.rows, {})
    file_report.problems += validated.problems
    if file_report.problems:
        return file_report
    session.rollback()  # end the read transaction; the door begins its own
    with opened(session) as writer:
        revisions = writer.publish_departments(validated.records, author="content", source="content",
                                               filename=file_report.path, file_sha256=sha256(path.read_bytes()))
    file_report.counts = {"departments": len(revisions)}
    return file_report


class _NotTogether(Exception):
    """A file was published on the strength of a later file's new list, which was then refused."""


def _load_folder(session, root, department, files, done, author) -> list[FileReport]:
    """Publish one department's files, read and validated (`done`), through one opening of the
    door (one transaction, one lock), each checked there against what is live.

    A file refused at any step publishes nothing and is reported; the others still publish.
    The files are one new state of the department: a power that its new guides no longer name
    is withdrawn in the load that relinks them, though the guides load after it. Should the
    guides' file be refused after all, the opening is undone and each file is published again
    against what is live alone (the power then stays), its report saying why, and why the guides
    were refused.
    """
    reports, valid = [], []
    for (kind, path), found in zip(files, done):
        file_report = FileReport(_relative(root, path), list(found.problems))
        reports.append(file_report)
        if not found.problems:
            plan = Plan(department=department, kind=kind, numbered=found.numbered,
                        records=[record for _number, record in found.numbered], screening=found.screening)
            valid.append((file_report, plan, found.sha256))
    session.rollback()  # end the read transaction; the door begins its own
    if not valid:
        return reports
    try:
        _publish_files(session, valid, author, together=True)
    except _NotTogether:
        # What refused a file then is still said: alone, it may be refused for the power first.
        together = {id(report): report.problems for report, _plan, _digest in valid}
        for file_report, _plan, _digest in valid:
            file_report.problems, file_report.revision, file_report.counts = [], None, {}
        _publish_files(session, valid, author, together=False)
        for file_report, _plan, _digest in valid:
            if file_report.problems:
                file_report.problems += [p for p in together[id(file_report)] if p not in file_report.problems]
    return reports


def _publish_files(session, valid, author, *, together: bool) -> None:
    """Check and publish each valid file in turn, in one opening of the door; `together`: the
    withdrawals others rely on are read against the later files' new lists (`_load_folder`)."""
    with opened(session) as writer:
        relied_on: set[str] = set()  # kinds whose new lists let an earlier file withdraw
        for index, (file_report, plan, digest) in enumerate(valid):
            coming = {later.kind.name: later.records for _report, later, _digest in valid[index + 1:]} \
                if together else None
            # Checked under the lock, after the department's earlier files: a commitment finds
            # the service guide published just before it.
            plan = writer.check(plan, coming)
            # Nobody can review a finding here: probable personal data rejects the file like an error.
            problems = plan.problems or review.as_problems(plan.findings)
            if problems:
                file_report.problems = problems
                if plan.kind.name in relied_on:
                    raise _NotTogether
                continue
            if coming and plan.diff.withdrawn:
                relied_on.update(referrer for referrer, _column in REFERRERS.get(plan.kind.name, ())
                                 if referrer in coming)
            revision = writer.publish_checked(plan, author=author, source="content",
                                              filename=file_report.path, file_sha256=digest)
            file_report.revision = revision.id if revision else None
            file_report.counts = plan.diff.counts()
