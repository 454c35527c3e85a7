"""Links in exported pages: relative, so that the export works under any sub-path and from disk.

Every URL the portal builds (url_for in templates and in Python alike) is root-relative
(`/zh-hans/powers/`). While exporting, each HTML page's `href`, `src` and `action` that
start with `/` are rewritten relative to the page itself, with `index.html` spelled out
(a file system has no directory index), and its hreflang alternates absolute from the
site's address, as search engines want them.
"""

from __future__ import annotations

import posixpath
import re

from flask import Response, current_app, request

_ALTERNATE = re.compile(r'(<link rel="alternate" hreflang="[^"]*" href=")(/[^"]*)(")')
_LINK = re.compile(r'(\s(?:href|src|action)=")(/(?!/)[^"]*)(")')
# A link that asks a question in its query string (an API example, a search) needs a server.
_ASKING = re.compile(r'<a href="(/[^"?]*\?[^"]*)"')


def file_path(path: str) -> str:
    """The file an exported URL path is written to: `/a/` → `a/index.html`, `/a/search` →
    `a/search/index.html` (a page without an extension is a directory), `/a.json` → `a.json`."""
    if path.endswith("/"):
        return path.lstrip("/") + "index.html"
    if "." not in path.rsplit("/", 1)[-1] and not path.startswith("/data/"):  # downloads keep their names
        return path.lstrip("/") + "/index.html"
    return path.lstrip("/")


def relative(url: str, here: str, root: str = "") -> str:
    """Root-relative `url` (under the script root `root`) as seen from the page at path `here`."""
    path, hash_, fragment = url.partition("#")
    path, query, args = path.partition("?")
    if root and (path == root or path.startswith(root + "/")):
        path = path[len(root):] or "/"
    target = "/" + file_path(path)
    base = here if here.endswith("/") else posixpath.dirname(here) + "/"
    if not here.endswith("/") and file_path(here).endswith("/index.html"):
        base = here + "/"  # written as here/index.html
    return _relpath(target, base) + query + args + hash_ + fragment


def _relpath(target: str, base: str) -> str:
    """posixpath.relpath for two absolute paths, without its normalising (a page has a hundred
    links): the same answer wherever neither holds a "." or ".." segment, and relpath's where one does."""
    if "/." in target or "/." in base:
        return posixpath.relpath(target, base)
    start = [part for part in base.split("/") if part]
    path = [part for part in target.split("/") if part]
    common = 0
    for a, b in zip(start, path):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(start) - common) + path[common:]
    return "/".join(parts) if parts else "."


def rewrite(html: str, here: str, root: str, site: str) -> str:
    """The page's root-relative links made relative, its hreflang alternates absolute."""
    html = _ALTERNATE.sub(lambda m: f"{m[1]}{site}{m[2]}{m[3]}", html)
    html = _ASKING.sub(lambda m: f'<a data-needs-server="{site}{m[1]}"', html)
    return _LINK.sub(lambda m: f"{m[1]}{relative(m[2], here, root)}{m[3]}", html)


def relative_links(response: Response) -> Response:
    """after_request: while exporting, make an HTML page's links relative (`rewrite`)."""
    if not current_app.config.get("STATIC_EXPORT") or response.mimetype != "text/html" \
            or response.direct_passthrough:
        return response
    site = request.host_url.rstrip("/")
    response.set_data(rewrite(response.get_data(as_text=True), request.path, request.script_root, site))
    return response
