"""Every setting once, with its default and a line of help; read from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance: Path) -> str:
    """Return SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load(instance_path: str) -> dict:
    """Return the settings for an app whose instance folder is `instance_path`."""
    instance = Path(instance_path)
    env = os.environ.get
    return {
        # Session signing; generated per installation unless given.
        "SECRET_KEY": _secret_key(instance),
        # SQLAlchemy URL; PostgreSQL works unchanged (postgresql+psycopg://…).
        "DATABASE_URL": env("DATABASE_URL", f"sqlite:///{instance / 'portal.sqlite3'}"),
        # The directory `flask content load` reads when no directory is given.
        "CONTENT_DIR": env("CONTENT_DIR", str(ROOT / "content")),
        # Where the search index lives (a directory; rebuilt by `flask search reindex`).
        "SEARCH_DIR": env("SEARCH_DIR", str(instance / "search")),
        # Where the open-data downloads are written at publish time (`flask data sync` rewrites them).
        "DATA_DIR": env("DATA_DIR", str(instance / "data")),
        # How long a publish waits for another one to finish before it answers 409.
        "WRITE_WAIT_SECONDS": float(env("WRITE_WAIT_SECONDS", "30")),
        # How often (seconds) each app process catches its projections (search index,
        # flowcharts) up with the revision log, so that publishes made through another
        # app server sharing the database show up here too. 0 checks on every request.
        "CATCH_UP_SECONDS": float(env("CATCH_UP_SECONDS", "2")),
        # Items per page on list pages and in their JSON twins.
        "PAGE_SIZE": int(env("PAGE_SIZE", "20")),
        # Public pages, twins and feeds each worker keeps until the data changes
        # (portal.web.page_cache): at most this many bytes (0: none), each for at most this many seconds.
        "PAGE_CACHE_BYTES": int(env("PAGE_CACHE_MIB", "32")) * 1024 * 1024,
        "PAGE_CACHE_SECONDS": float(env("PAGE_CACHE_SECONDS", "60")),
        # Locale identifiers (Babel) and their URL prefixes; the first is the default.
        # English uses British conventions for dates and numbers (22 Nov 2026).
        "LOCALES": {"zh-hans": "zh_Hans", "zh-hant": "zh_Hant", "en": "en_GB"},
        "BABEL_DEFAULT_LOCALE": "zh_Hans",
        "BABEL_DEFAULT_TIMEZONE": env("PORTAL_TIMEZONE", "Asia/Shanghai"),
        # Authority part of the tag: URIs that identify change events forever (RFC 4151).
        "TAG_AUTHORITY": env("TAG_AUTHORITY", "mingjing.example.org,2026"),
        # How many changes the home page lists.
        "HOME_CHANGES": 10,
        # Entries per page of an Atom/RSS feed (older ones follow RFC 5005 "next" links).
        "FEED_SIZE": int(env("FEED_SIZE", "50")),
        # Uploads: the largest request accepted, and how many form fields it may have.
        # 32 MB holds a 10,000-row power list as CSV (18 MB: long legal texts); XLSX is smaller.
        "MAX_CONTENT_LENGTH": int(env("MAX_UPLOAD_BYTES", str(32 * 1024 * 1024))),
        "MAX_FORM_PARTS": 50,
        # Session cookies: not readable by scripts, not sent cross-site, HTTPS-only when
        # SESSION_COOKIE_SECURE=1 (set it wherever the portal is served over HTTPS).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env("SESSION_COOKIE_SECURE", "0") == "1",
        "PERMANENT_SESSION_LIFETIME": int(env("SESSION_HOURS", "8")) * 3600,
        # Argon2id parameters (argon2.profiles): RFC 9106's low-memory profile (64 MiB, 3 passes).
        "PASSWORD_PROFILE": env("PASSWORD_PROFILE", "RFC_9106_LOW_MEMORY"),
        # Login throttling: failures allowed per account and per address within the window.
        "LOGIN_WINDOW_SECONDS": 15 * 60,
        "LOGIN_MAX_PER_ACCOUNT": 5,
        "LOGIN_MAX_PER_ADDRESS": 20,
        # The portal's public address, scheme://host[:port] (https://mingjing.example.org): feeds and
        # every absolute URL are built from it, and requests naming another Host are refused (400).
        # Unset, only localhost and 127.0.0.1 are answered (development); set it wherever it is served.
        "SITE_URL": env("SITE_URL", ""),
        # How many reverse proxies stand in front of the portal: their X-Forwarded-For and
        # X-Forwarded-Proto are trusted, nothing more. 0 (default): the headers are ignored.
        "PROXY_COUNT": int(env("PROXY_COUNT", "0")),
    }
