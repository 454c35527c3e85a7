"""Load a content directory (the sample city, or a city's own files) through the write path.

Layout: `departments.csv`, then `disclosures/<部门编码>/<kind>.csv|yaml`. Each
file is validated as a whole and published in its own transaction: a malformed
file is reported (file, row, column) and nothing from it is stored, while the
other files still load. Loading the same files twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..ingest.readers import ReadError, read
from ..models import Department
from ..privacy import review
from ..schemas import DEPARTMENTS, KINDS, Problem
from .canonical import sha256
from .door import opened
from .plan import prepare


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


def load_directory(session: Session, root: Path, author: str = "content") -> LoadReport:
    """Load departments then every department's disclosures found under `root`."""
    report = LoadReport()
    departments_file = root / "departments.csv"
    if departments_file.exists():
        report.files.append(_load_departments(session, root, departments_file))
    disclosures = root / "disclosures"
    folders = sorted(p for p in disclosures.iterdir() if p.is_dir()) if disclosures.is_dir() else []
    for folder in folders:
        for kind in KINDS.values():
            path = folder / f"{kind.name}.{kind.file_format}"
            if path.exists():
                report.files.append(_load_file(session, root, folder.name, kind, path, author))
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


def _load_file(session, root, folder_code, kind, path, author) -> FileReport:
    file_report = FileReport(_relative(root, path))
    department = Department.by_code(session, folder_code)
    if department is None:
        file_report.problems.append(
            Problem(None, None, str(_l("未知的部门:“%(value)s”", value=folder_code)))
        )
        return file_report
    data = path.read_bytes()
    try:
        sheet = read(path.name, data, kind)
    except ReadError as error:
        file_report.problems.append(error.problem())
        return file_report
    plan = prepare(session, department, kind, sheet)
    # Nobody can review a finding here: probable personal data rejects the file like an error.
    problems = plan.problems or review.as_problems(plan.findings)
    if problems:
        file_report.problems = problems
        session.rollback()
        return file_report
    session.rollback()  # end the read transaction; the door begins its own
    with opened(session) as writer:
        revision = writer.publish(department, kind, plan.records, author=author, source="content",
                                  filename=file_report.path, file_sha256=sha256(data), screening=plan.screening)
    file_report.revision = revision.id if revision else None
    file_report.counts = plan.diff.counts()
    return file_report
