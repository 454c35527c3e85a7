"""Export the public portal as a static site: a full run, or `changed` only what the log touched."""

from __future__ import annotations

import gc
import shutil
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import flask_frozen
from flask import Flask, g
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import city, downloads, staticsearch
from ..extensions import db
from ..privacy import public
from ..publish import memo
from ..web.locale import LANGUAGE_NAMES
from . import changed as changes
from . import files, listpages, pageinputs, statpages, urls
from .freezer import Freezer


@dataclass
class Summary:
    """What a run wrote: pages (URLs built), files and bytes (in the whole export after a full run,
    written or rewritten by an incremental one), seconds, and whether it was incremental."""

    pages: int
    files: int
    bytes: int
    seconds: float
    incremental: bool


def export(app: Flask, out: Path, changed: bool = False, base_path: str = "",
           progress: Callable[[str], None] | None = None) -> Summary:
    """Write the public site into `out`: every page in every language, twins, feeds, sitemaps,
    downloads and static files, with relative links; then the root page, the last exported
    revision and SHA256SUMS.

    With `changed`, and an earlier export in `out`, only the pages the revisions since then
    touched are rewritten (`export.changed`); the result is the same as a full run's.
    `base_path` (/gov/gk) is where the site will be served, for its absolute URLs (feeds,
    sitemaps); pages work under any path. SITE_URL gives the host.
    """
    started, run_started = time.perf_counter(), time.time()
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    site = (app.config.get("SITE_URL") or "http://localhost").rstrip("/") + base_path.rstrip("/")
    saved = dict(app.config)
    freezer = None
    # What the process held before the run (the app, its caches, the figures kept per state) is
    # not the run's garbage: its collections leave it aside instead of walking it every time (a
    # full collection over a warm process's objects was a tenth of an incremental run).
    gc.freeze()
    try:
        with app.app_context():
            downloads.sync(db.session)  # the download files as of now (a no-op when current)
            head = changes.head()
            lists = listpages.fingerprints(db.session, app.config["PAGE_SIZE"])
            build = files.build_digest(app, site)
            state = files.read_state(out, build) if changed else None
            found = changes.plan(*state[:2], lists) if state is not None else None
            incremental = found is not None and not found.everything
            with app.test_request_context(), force_locale(app.config["LOCALES"][next(iter(app.config["LOCALES"]))]):
                # A department's scorecard ranks it among the others: appraisals published by one
                # department move the ranks on every scorecard.
                scored = found.departments if incremental and "appraisals" not in found.kinds else None
                stats = statpages.fingerprints(db.session, scored, state[2] if incremental else None)
                inputs = pageinputs.fingerprints()
            if incremental:
                found.stats = statpages.changed(state[2], stats)
                found.scorecards = statpages.scorecards_changed(found.stats)
                found.pages = pageinputs.changed(state[3], inputs)
            app.config.update(
                STATIC_EXPORT=True, FREEZER_DESTINATION=str(out), FREEZER_BASE_URL=site,
                FREEZER_REDIRECT_POLICY="error", FREEZER_REMOVE_EXTRA_FILES=not incremental,
                FREEZER_DESTINATION_IGNORE=[".git*"], FREEZER_IGNORE_404_NOT_FOUND=False,
                # Frozen-Flask resolves its URLs in a request context without a host: the site's
                # host names it, and no request reaches the export from outside.
                SERVER_NAME=urlsplit(site).netloc, TRUSTED_HOSTS=None,
            )
            touched: list[str] = []  # what an incremental run writes or removes (for SHA256SUMS)
            if incremental:
                for path in changes.stale(out, found):
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
                    _remove_empty_folders(path.parent, out)
                    touched.append(path.relative_to(out).as_posix())
                freezer = Freezer(app, follow=found.follow, readings=_readings(app))
                generators = changes.generators(found)
            else:
                freezer = Freezer(app, follow=lambda endpoint, values: True, readings=_readings(app))
                generators = [urls.pages, urls.tombstones, urls.root_files, freezer.static_files_urls]
            for generator in generators:
                freezer.register_generator(generator)
            pages = 0
            with warnings.catch_warnings():
                # The downloads' SHA256SUMS has no extension to tell a server it is text: it is plain text.
                warnings.filterwarnings("ignore", ".*'SHA256SUMS'", flask_frozen.MimetypeMismatchWarning)
                for page in freezer.freeze_yield():
                    pages += 1
                    touched.append(Path(page.path).as_posix())
                    if progress:
                        progress(page.url)
            staticsearch.build(db.session, out)  # the index the search page reads in the browser
            default = next(iter(app.config["LOCALES"]))
            with app.test_request_context(), force_locale(app.config["LOCALES"][default]):
                title = _("%(city)s机关效能公开", city=city.city(app.config["CONTENT_DIR"]).name)
            files.write_root_page(out, title, LANGUAGE_NAMES, default, site)
            files.write_state(out, head, lists, build, stats, inputs)
            if incremental:  # the sums of what it wrote or removed, the others' as they were
                count, size = files.update_sums(out, run_started, [*touched, "index.html", files.STATE],
                                                folders=[staticsearch.FOLDER])
            else:
                count, size = files.write_sums(out)
    finally:
        gc.unfreeze()
        if freezer is not None:
            freezer.close()
        app.config.clear()
        app.config.update(saved)
    return Summary(pages, count, size, time.perf_counter() - started, incremental)


def _readings(app: Flask) -> dict:
    """What every page reads of the database once per request (app context) and keeps in `g`: the
    state its kept figures follow (`publish.memo.state`) and the numbers published on purpose that
    the guard leaves alone (`privacy.public.current`). An export renders every page from one state
    of the database: read once here, they start each page's context (two statements a page were a
    tenth of an incremental run)."""
    with app.app_context():
        memo.state(db.session)
        public.current(db.session)
        return dict(vars(g._get_current_object()))


def _remove_empty_folders(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents up to `root` while they are empty (a full run leaves none)."""
    while folder != root and folder.is_relative_to(root) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
