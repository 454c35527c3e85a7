"""Open-data downloads, written when data is published and served as static files.

A projection of the revision log, like the search index: the data directory
records the last revision its files reflect (`APPLIED`) and a manifest of every
file (size, SHA-256, rows). After a publish (when the app context that published
ends), before requests now and then (publishes through another app server), and
in `flask data sync`, `sync` rewrites the files of the scopes that revisions
since then touched: the department's files of that kind and the city's. A
download is then a static file with an ETag and Last-Modified, never a query.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import ChangeEvent, Department, Revision
from ..publish.signals import catch_up_due, published
from ..schemas import DEPARTMENTS, KINDS
from ..city import city
from . import package
from .build import build_departments, build_scope, stem
from .writers import Written

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
_NOTED = "downloads_to_write"


def data_dir(app: Flask | None = None) -> Path:
    """Where the download files live (DATA_DIR, default instance/data/)."""
    app = app or current_app
    return Path(app.config.get("DATA_DIR") or Path(app.instance_path) / "data")


_read: dict[Path, tuple[tuple[int, int], dict]] = {}


def manifest(app: Flask | None = None) -> dict:
    """What the data directory holds: `applied` (a revision id) and `files` {path: description}.

    Read again only when the file changed: pages ask for it once per dataset and department.
    """
    path = data_dir(app) / MANIFEST
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = _read.get(path)
        if cached is None or cached[0] != stamp:
            _read[path] = cached = (stamp, json.loads(path.read_text(encoding="utf-8")))
        return cached[1]
    except (FileNotFoundError, ValueError):
        return {"applied": 0, "files": {}}


@contextmanager
def _locked(root: Path):
    """One writer at a time among the processes sharing this data directory."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _touched(session: Session, since: int, head: int) -> tuple[set[tuple[str, str]], bool]:
    """The (kind, department code) scopes revisions after `since` changed, and whether departments did."""
    rows = session.execute(
        select(ChangeEvent.kind, Department.code)
        .join(Department, ChangeEvent.department_id == Department.id)
        .where(ChangeEvent.revision_id > since, ChangeEvent.revision_id <= head).distinct()
    )
    scopes, departments = set(), False
    for kind, code in rows:
        if kind == DEPARTMENTS.name:
            departments = True
        elif kind in KINDS:
            scopes.add((kind, code))
    return scopes, departments


def sync(session: Session, everything: bool = False) -> int:
    """Rewrite the files that revisions since the last sync touched (all of them with `everything`,
    or when there are none yet); return how many files were written."""
    root = data_dir()
    head = session.scalar(select(func.max(Revision.id))) or 0
    with _locked(root):
        found = manifest()
        everything = everything or not found["files"]
        if not everything and found["applied"] >= head:
            return 0
        if everything:
            scopes = {(kind, code) for kind in KINDS for code in session.scalars(select(Department.code))}
            departments = True
        else:
            scopes, departments = _touched(session, found["applied"], head)
        times = _last_changed(session)
        files = dict(found["files"])
        previous = {path: entry["sha256"] for path, entry in found["files"].items()}
        if departments:
            files.update(_described(build_departments(session, root, previous),
                                    times.get((DEPARTMENTS.name, None))))
        for kind in sorted({kind for kind, _code in scopes}):
            files.update(_described(build_scope(session, root, KINDS[kind], None, previous),
                                    times.get((kind, None))))
        for kind, code in sorted(scopes):
            department = Department.by_code(session, code)
            files.update(_described(build_scope(session, root, KINDS[kind], department, previous),
                                    times.get((kind, code))))
        package.write(root, files, city(current_app.config["CONTENT_DIR"]).name)
        written = sum(files[p] is not found["files"].get(p) for p in files)
        _write_manifest(root, {"applied": head, "files": dict(sorted(files.items()))})
    return written


def _last_changed(session: Session) -> dict[tuple[str, str | None], str]:
    """When each scope last changed, by (kind, department code) and (kind, None) for the city.

    The files carry the data's own time, never the time they were written, so that two
    exports of the same data are the same bytes.
    """
    rows = session.execute(
        select(ChangeEvent.kind, Department.code, func.max(ChangeEvent.created_at))
        .join(Department, ChangeEvent.department_id == Department.id)
        .group_by(ChangeEvent.kind, Department.code)
    )
    times: dict[tuple[str, str | None], str] = {}
    for kind, code, at in rows:
        stamp = at.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
        times[(kind, code)] = stamp
        times[(kind, None)] = max(times.get((kind, None), stamp), stamp)
    return times


def _described(written: list[Written], updated: str | None) -> dict[str, dict]:
    return {w.path: {**asdict(w), "updated": updated} for w in written}


def _write_manifest(root: Path, content: dict) -> None:
    temporary = root / f".{MANIFEST}.{os.getpid()}"
    temporary.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, root / MANIFEST)


# The manifest's files by scope (`stem`), for the manifest last read: a dataset's page asks once
# per department, and walking every file each time was most of the page.
_scoped: list = [None, {}]


def _by_scope(files: dict[str, dict]) -> dict[str, dict[str, dict]]:
    if _scoped[0] is not files:
        index: dict[str, dict[str, dict]] = {}
        for path, entry in files.items():
            name_at = path.rfind("/") + 1
            at = path.find(".", name_at)
            while at != -1:  # each stem the path's file name continues with ".<extension>"
                index.setdefault(path[:at], {})[path] = entry
                at = path.find(".", at + 1)
        _scoped[:] = [files, index]
    return _scoped[1]


def scope_files(kind: str, department: str | None = None) -> dict[str, dict]:
    """The manifest entries of one scope's files (`<stem>.<extension>`), by path, in the manifest's order."""
    return dict(_by_scope(manifest()["files"]).get(stem(kind, department), {}))


def _note(app: Flask, revision, **_extra) -> None:
    g.setdefault(_NOTED, True)


def _note_now_and_then() -> None:
    """Before a request, now and then: look for publishes made through other app servers."""
    # Here, not as the context ends: by then Flask has already ended the request's context.
    if catch_up_due("downloads"):
        g.setdefault(_NOTED, True)


def _write_noted(exception: BaseException | None = None) -> None:
    """As an app context ends: after a publish in it, or now and then while serving."""
    if not g.pop(_NOTED, None):
        return
    session = db.session.session_factory()
    try:
        sync(session)
    except Exception:  # the publish has landed; the next sync writes the files
        log.exception("downloads not written; they are written with the next publish or `flask data sync`")
    finally:
        session.close()


def init_app(app: Flask) -> None:
    """Keep the download files in step with the revision log."""
    published.connect(_note, sender=app)
    app.before_request(_note_now_and_then)
    app.teardown_appcontext(_write_noted)


__all__ = ["data_dir", "init_app", "manifest", "scope_files", "stem", "sync"]
