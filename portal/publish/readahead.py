"""Read, validate and screen a content directory's files, ahead of publishing them.

Reading a file, validating its rows and screening its records for personal data
need nothing of the database but the departments' names and what is public (both
read once, before), and take about half of a load's time. The content loader
reads them in turn, or, when asked (`flask content load --read-ahead`, for a
machine with a core to spare), reads each department's files in a second process
while it publishes the previous department's: the same files in the same order,
so the outcome is the same. Crossing between the processes costs about a quarter
more CPU in all, so on a machine whose cores are busy it is slower, not faster.
At most `AHEAD` departments are held read ahead, so memory stays flat however
large the directory is.

The door still checks every plan under its lock: a screening made here is reused
only for a record that is exactly the one screened, while exactly the same
numbers are public (`portal.privacy.screening.screen`).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..ingest.readers import ReadError, read
from ..privacy.detect import Public
from ..privacy.screening import Screening, learn, screen_against
from ..schemas import KINDS, Problem
from . import collector
from .canonical import sha256
from .plan import validate_sheet

# Departments read ahead of the one being published, at most.
AHEAD = 2


@dataclass
class FileRead:
    """One file read and validated: its problems, or its rows' clean records, their screening
    and the file's SHA-256."""

    problems: list[Problem] = field(default_factory=list)
    numbered: list[tuple[int, dict]] = field(default_factory=list)
    sha256: str | None = None
    screening: Screening | None = None


def read_file(kind_name: str, path: str, spellings: dict[str, str], public: Public) -> FileRead:
    """Read, validate and screen one file of `kind_name` (`spellings`: every name of a department,
    see `portal.publish.plan.department_spellings`; `public`: `portal.privacy.screening.public_now`)."""
    kind = KINDS[kind_name]
    data = Path(path).read_bytes()
    try:
        sheet = read(Path(path).name, data, kind)
    except ReadError as error:
        return FileRead([error.problem()])
    problems, numbered = validate_sheet(kind, sheet, spellings)
    if problems:
        return FileRead(problems)
    screening = screen_against(public, kind, [record for _number, record in numbered])
    return FileRead(numbered=numbered, sha256=sha256(data), screening=screening)


def read_files(files: list[tuple[str, str]], spellings: dict[str, str], public: Public) -> list[FileRead]:
    """`read_file` for each (kind name, path) of one department, in order."""
    with collector.paused():  # once per department (see `portal.publish.collector`)
        found = [read_file(kind_name, path, spellings, public) for kind_name, path in files]
    collector.collect()
    return found


def reads(batches: list[list[tuple[str, str]]], spellings: dict[str, str], public: Public, *,
          process: bool) -> Iterator[list[FileRead]]:
    """The `read_files` of each batch, in order; read ahead in a second process when `process`."""
    if not process:
        for files in batches:
            yield read_files(files, spellings, public)
        return
    # Forked: the reader starts at once with what this process has imported and its app context
    # (messages in the same language). It never touches the database connections it inherits,
    # and ends with os._exit (multiprocessing's way), so it never closes them for this process.
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        pending: deque[Future] = deque()
        queued = iter(batches)
        while True:
            while len(pending) < AHEAD:  # keep AHEAD batches read or being read
                files = next(queued, None)
                if files is None:
                    break
                pending.append(pool.submit(read_files, files, spellings, public))
            if not pending:
                return
            done = pending.popleft().result()
            for found in done:
                if found.screening is not None:
                    learn(found.screening)
            yield done
