"""The export's own files: the root page, the record of the last exported revision, SHA256SUMS."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from markupsafe import escape

STATE = ".export.json"  # the last exported revision, read by the next `--changed` run
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


def read_state(root: Path) -> int | None:
    """The revision the export in `root` reflects, or None when there is none (or it is unreadable)."""
    try:
        return int(json.loads((root / STATE).read_text(encoding="utf-8"))["revision"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_state(root: Path, revision: int) -> None:
    """Remember the revision the export reflects."""
    (root / STATE).write_text(json.dumps({"revision": revision}) + "\n", encoding="utf-8")


def files(root: Path) -> list[Path]:
    """Every file of the export, in a stable order (SHA256SUMS itself left out)."""
    found = (p for p in root.rglob("*") if p.is_file() and p.relative_to(root).as_posix() != SUMS)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def write_sums(root: Path) -> tuple[int, int]:
    """SHA256SUMS of every file (as `sha256sum -c` reads it); return the file count and bytes."""
    lines, count, size = [], 0, 0
    for path in files(root):
        data = path.read_bytes()
        lines.append(f"{hashlib.sha256(data).hexdigest()}  {path.relative_to(root).as_posix()}\n")
        count += 1
        size += len(data)
    (root / SUMS).write_text("".join(lines), encoding="utf-8")
    return count, size
