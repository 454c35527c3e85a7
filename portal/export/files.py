"""The export's own files: the root page, the record of the last exported revision, SHA256SUMS."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from stat import S_ISREG

from flask import Flask
from markupsafe import escape
from sqlalchemy import func, select

from ..extensions import db
from ..models import PrivacyConfirmation, PrivacyPurge

STATE = ".export.json"  # the last exported revision and list fingerprints, read by the next `--changed` run
SUMS = "SHA256SUMS"
_SETTINGS = ("PAGE_SIZE", "FEED_SIZE", "LOCALES", "BABEL_DEFAULT_TIMEZONE")
_BUILT_FROM = {".py", ".html", ".txt", ".xml", ".mo", ".css", ".js", ".svg", ".ico", ".png", ".md", ".csv",
               ".yaml", ".json"}

_ROOT_PAGE = """<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{canonical}">
</head>
<body>
<p><a href="{target}">{title}</a></p>
{others}
</body>
</html>
"""


def write_root_page(root: Path, title: str, languages: dict[str, str], default: str, site: str) -> Path:
    """index.html at the root: a static host cannot choose a language, so it leads to the default one
    (a meta refresh and a link), and links to the others."""
    others = "\n".join(f'<p><a href="{escape(lang)}/index.html" lang="{escape(lang)}">{escape(name)}</a></p>'
                       for lang, name in languages.items() if lang != default)
    path = root / "index.html"
    page = _ROOT_PAGE.format(title=escape(title), target=f"{default}/index.html",
                             canonical=escape(f"{site}/{default}/"), others=others)
    path.write_text(page, encoding="utf-8")
    return path


def build_digest(app: Flask, site: str) -> str:
    """A digest of what every page is made with besides the data: the portal's code, templates,
    translations and static files, the content folder's site pages, city and search files, the
    site's address, the settings pages are cut by, the purges and the privacy confirmations. When it
    differs from the last export's, an incremental run writes everything."""
    settings = {name: app.config.get(name) for name in _SETTINGS}
    # A purge rewrites published events and records in place, outside the revision log that an
    # incremental run follows (archive pages of the change log would keep what it removed): the
    # purges done so far count as part of the build, so one since the last export writes everything.
    purges = db.session.scalar(select(func.count(PrivacyPurge.id)))
    # A confirmation (its department's, then the office's) lets an item through that the guard
    # withheld, also with no new revision: the pages it is on, and those it was left out of.
    confirmed = db.session.execute(select(func.count(PrivacyConfirmation.id), func.max(PrivacyConfirmation.id),
                                          func.count(PrivacyConfirmation.office_confirmed_at))).one()
    digest = hashlib.sha256(json.dumps([site, settings, purges, list(confirmed)], sort_keys=True,
                                       default=str).encode())
    content = Path(app.config["CONTENT_DIR"])
    roots = [Path(app.root_path), Path(app.static_folder), content / "pages", content / "search"]
    found = [p for root in roots if root.is_dir() for p in root.rglob("*")
             if p.is_file() and p.suffix in _BUILT_FROM and "__pycache__" not in p.parts]
    found += [p for p in content.glob("*.yaml") if p.is_file()]
    for path in sorted(found):
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def read_state(root: Path, build: str) -> tuple[int, dict[str, str], dict[str, str], dict[str, str]] | None:
    """The revision the export in `root` reflects, its list pages' fingerprints, its statistics'
    (`statpages`) and its other pages' (`pageinputs`; {} from before they were kept); None when
    there is none, it is unreadable or from before list fingerprints were kept, or it was built
    otherwise (`build`, see build_digest)."""
    try:
        state = json.loads((root / STATE).read_text(encoding="utf-8"))
        lists, stats, pages = state["lists"], state.get("stats", {}), state.get("pages", {})
        if not all(isinstance(v, dict) for v in (lists, stats, pages)) or state["build"] != build:
            return None
        return int(state["revision"]), lists, stats, pages
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_state(root: Path, revision: int, lists: dict[str, str], build: str,
                stats: dict[str, str] | None = None, pages: dict[str, str] | None = None) -> None:
    """Remember the revision the export reflects, its list pages', statistics' and other pages'
    fingerprints and what built it."""
    state = {"revision": revision, "build": build, "lists": lists, "stats": stats or {}, "pages": pages or {}}
    (root / STATE).write_text(json.dumps(state, ensure_ascii=False, sort_keys=True, indent=0) + "\n",
                              encoding="utf-8")


def _entries(root: Path) -> list[tuple[str, os.DirEntry]]:
    """Every file under `root` as (its path from `root`, its directory entry), sorted by path, less
    SHA256SUMS; read with scandir, which spares a large export a Path and a stat per file."""
    found, folders = [], [("", str(root))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((prefix + entry.name + "/", entry.path))
                elif entry.is_file() and prefix + entry.name != SUMS:
                    found.append((prefix + entry.name, entry))
    return sorted(found, key=lambda pair: pair[0])


def read_sums(path: Path) -> dict[str, str]:
    """The digests a SHA256SUMS file gives, by path ({} when there is none)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    return {name: digest for digest, _, name in (line.partition("  ") for line in text.splitlines())}


def update_sums(root: Path, unchanged_before: float, touched: Iterable[str], folders: Iterable[str] = ()) -> tuple[int, int]:
    """SHA256SUMS after an incremental run, from the last one: only the files the run `touched`
    (paths from `root`: written, left as they were or removed) and every file under `folders`
    (written whole by the run) are looked at; the others keep their line. A file last modified
    before `unchanged_before` keeps its digest too. Return the files and bytes the run wrote.
    """
    sums = read_sums(root / SUMS)
    for folder in folders:  # what the run wrote there is all there is
        prefix = folder.rstrip("/") + "/"
        kept = {name: digest for name, digest in sums.items() if name.startswith(prefix)}
        sums = {name: digest for name, digest in sums.items() if not name.startswith(prefix)}
        path = root / folder
        names = [prefix + p.name for p in path.iterdir() if p.is_file()] if path.is_dir() else []
        sums |= {name: kept[name] for name in names if name in kept}
        touched = [*touched, *names]
    count = size = 0
    for name in dict.fromkeys(touched):
        if name == SUMS:
            continue
        try:
            stat = os.stat(root / name)
        except FileNotFoundError:  # removed, and anything under it
            sums.pop(name, None)
            prefix = name.rstrip("/") + "/"
            sums = {k: v for k, v in sums.items() if not k.startswith(prefix)}
            continue
        if not S_ISREG(stat.st_mode) or (stat.st_mtime < unchanged_before and name in sums):
            continue
        with open(root / name, "rb") as f:
            sums[name] = hashlib.file_digest(f, "sha256").hexdigest()
        count += 1
        size += stat.st_size
    (root / SUMS).write_text("".join(f"{sums[name]}  {name}\n" for name in sorted(sums)), encoding="utf-8")
    return count, size


def write_sums(root: Path, unchanged_before: float | None = None) -> tuple[int, int]:
    """SHA256SUMS of every file (as `sha256sum -c` reads it); return the file count and bytes.

    With `unchanged_before` (a time), a file last modified before it keeps the digest the last
    SHA256SUMS gave it: an incremental run reads only the files it wrote.
    """
    previous = read_sums(root / SUMS) if unchanged_before is not None else {}
    lines, count, size = [], 0, 0
    for name, entry in _entries(root):
        stat = entry.stat()
        kept = unchanged_before is not None and stat.st_mtime < unchanged_before
        digest = previous.get(name) if kept else None
        if digest is None:
            with open(entry.path, "rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()
        lines.append(f"{digest}  {name}\n")
        count += 1
        size += stat.st_size
    (root / SUMS).write_text("".join(lines), encoding="utf-8")
    return count, size
