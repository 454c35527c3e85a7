"""The export's own files: the root page, the record of the last exported revision, SHA256SUMS."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from markupsafe import escape

STATE = ".export.json"  # the last exported revision and list fingerprints, read by the next `--changed` run
SUMS = "SHA256SUMS"

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


def read_state(root: Path) -> tuple[int, dict[str, str]] | None:
    """The revision the export in `root` reflects and its list pages' fingerprints, or None when
    there is none (or it is unreadable, or from before fingerprints were kept)."""
    try:
        state = json.loads((root / STATE).read_text(encoding="utf-8"))
        lists = state["lists"]
        if not isinstance(lists, dict):
            return None
        return int(state["revision"]), lists
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_state(root: Path, revision: int, lists: dict[str, str]) -> None:
    """Remember the revision the export reflects and its list pages' fingerprints."""
    state = json.dumps({"revision": revision, "lists": lists}, ensure_ascii=False, sort_keys=True, indent=0)
    (root / STATE).write_text(state + "\n", encoding="utf-8")


def files(root: Path) -> list[Path]:
    """Every file of the export, in a stable order (SHA256SUMS itself left out)."""
    found = (p for p in root.rglob("*") if p.is_file() and p.relative_to(root).as_posix() != SUMS)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def read_sums(path: Path) -> dict[str, str]:
    """The digests a SHA256SUMS file gives, by path ({} when there is none)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    return {name: digest for digest, _, name in (line.partition("  ") for line in text.splitlines())}


def write_sums(root: Path, unchanged_before: float | None = None) -> tuple[int, int]:
    """SHA256SUMS of every file (as `sha256sum -c` reads it); return the file count and bytes.

    With `unchanged_before` (a time), a file last modified before it keeps the digest the last
    SHA256SUMS gave it: an incremental run reads only the files it wrote.
    """
    previous = read_sums(root / SUMS) if unchanged_before is not None else {}
    lines, count, size = [], 0, 0
    for path in files(root):
        name = path.relative_to(root).as_posix()
        stat = path.stat()
        kept = unchanged_before is not None and stat.st_mtime < unchanged_before
        digest = previous.get(name) if kept else None
        if digest is None:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {name}\n")
        count += 1
        size += stat.st_size
    (root / SUMS).write_text("".join(lines), encoding="utf-8")
    return count, size
