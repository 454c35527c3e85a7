"""Read and validate a content directory's files ahead of publishing them.

Reading a file and validating its rows needs nothing of the database but the
departments' names, and takes about a third of a load's time. With a second
core, the content loader reads the next department's files in a process of its
own while it publishes the previous department's; without one to spare, or for a
small directory (the process costs more to start than it saves), it reads them in
turn. Either way each file comes back as a `FileRead`, in order, and at most
`AHEAD` departments are held read ahead, so memory stays flat however large the
directory is.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..ingest.readers import ReadError, read
from ..schemas import KINDS, Problem
from .canonical import sha256
from .plan import validate_sheet

# Below this many bytes of files, reading in turn is faster than starting a process to read.
READ_AHEAD_BYTES = 8 * 1024 * 1024
# Departments read ahead of the one being published, at most.
AHEAD = 2


@dataclass
class FileRead:
    """One file read and validated: its problems, or its rows' clean records and its SHA-256."""

    problems: list[Problem] = field(default_factory=list)
    numbered: list[tuple[int, dict]] = field(default_factory=list)
    sha256: str | None = None


def read_file(kind_name: str, path: str, spellings: dict[str, str]) -> FileRead:
    """Read and validate one file of `kind_name` (`spellings`: every name of a department, see
    `portal.publish.plan.department_spellings`)."""
    data = Path(path).read_bytes()
    try:
        sheet = read(Path(path).name, data, KINDS[kind_name])
    except ReadError as error:
        return FileRead([error.problem()])
    problems, numbered = validate_sheet(KINDS[kind_name], sheet, spellings)
    return FileRead(problems) if problems else FileRead(numbered=numbered, sha256=sha256(data))


def read_files(files: list[tuple[str, str]], spellings: dict[str, str]) -> list[FileRead]:
    """`read_file` for each (kind name, path) of one department, in order."""
    return [read_file(kind_name, path, spellings) for kind_name, path in files]


def reads(batches: list[list[tuple[str, str]]], spellings: dict[str, str], *,
          process: bool) -> Iterator[list[FileRead]]:
    """The `read_files` of each batch, in order; read ahead in a process of its own when `process`."""
    if not process:
        for files in batches:
            yield read_files(files, spellings)
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
                pending.append(pool.submit(read_files, files, spellings))
            if not pending:
                return
            yield pending.popleft().result()


def worth_a_process(paths: list[Path]) -> bool:
    """True when the files are large enough to read ahead and a core is free to read them.

    Reading ahead costs about a tenth more CPU in all (the records cross between the
    processes) for a third less in the publishing process: a gain only with a core to
    spare, a loss on a machine already busy (the load average says which).
    """
    spare = (os.cpu_count() or 1) - (os.getloadavg()[0] if hasattr(os, "getloadavg") else 0)
    return spare >= 1 and sum(p.stat().st_size for p in paths) >= READ_AHEAD_BYTES
