"""Hypothesis strategies: requests to any route of the portal, with real and hostile parts.

A route's arguments are filled from the values the app really has (languages, kinds, codes,
ids, years, slugs: so that requests get past the 404 and into the views) or from hostile
text (huge and non-ASCII numbers, percent-encodings, dots, CJK, empty); its query
parameters are named after the real ones or after names `url_for` would misread; the method
is any of the common six. Everything is drawn from the rule itself (`app.url_map`), so a
route added later is driven without touching this module.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from flask import Flask
from hypothesis import strategies as st
from sqlalchemy import select

from portal.catalog.listing import facets_of
from portal.extensions import db
from portal.models import MODELS, ApiToken, Department, Revision, Upload, User
from portal.schemas import DEPARTMENTS, KINDS
from portal.schemas.powers import POWER_TYPES

METHODS = ("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS")
# `<converter(args):name>` or `<name>` in a rule's text.
_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")

HOSTILE_SEGMENTS = [
    "", ".", "..", "...", "%2e%2e", "%2F", "%2f..%2f", "%00", "%ZZ", "%", "%E4%B8", "%25", "%20", "+",
    "²", "١٢٣", "１２", "٣", "𝟙", "0", "-1", "01", "1e3", "1.0", "0x10", str(2**31), str(2**63 - 1),
    str(2**63), str(2**64), "9" * 40, "测试", "權責清單", "行政许可", "a.json", "x.y", ".json", "index",
    "%E2%80%AE", "%E2%80%8B", "%0d%0a", "%C0%AF", "~", "*", "'%20OR%201=1", "%3Cscript%3E", "{{7*7}}",
    "null", "departments", "changes", "revisions",
]
HOSTILE_NAMES = [
    "lang", "endpoint", "fmt", "_method", "_anchor", "_external", "_scheme", "values", "code", "slug",
    "number", "upload_id", "revision_id", "", "page[]", "__proto__", "PAGE", "q\x00", "页",
]
HOSTILE_VALUES = [
    "", "²", "٣", "１", "0", "-1", "1.5", str(2**63), str(2**64), "9" * 400, "0001-01-01", "9999-12-31",
    "10000-01-01", "2024-02-30", "2024-W01-1", "20240101", "\r\n", "a\r\nSet-Cookie: x=1", "\x00", "%",
    "%ZZ", "/\\evil.example", "//evil.example", "https://evil.example/", "x" * 2000, "测试局", "權責",
    "<script>alert(1)</script>", "{{7*7}}", "' OR 1=1 --", "\u202e", "\ufeff",
]
RAW_QUERIES = ["%", "page=%FF", "q=%E4%B8", "a=1&&b", "=x", "page", "page=1&page=2", ";", "%00=%00",
               "q=" + "x" * 3000, "next=%0d%0a/x"]
FORM_FIELDS = ["csrf_token", "username", "password", "kind", "department", "reason", "based_on", "name",
               "action", "current", "new", "again", "is_admin", "file"]
FILES = [b"", b"\xff\xfe\x00", b"PK\x03\x04junk", b"a,b\n1,2\n", b"{}", b"- x\n", b"\x00" * 64]
FILE_NAMES = ["x.csv", "x.xlsx", "x.json", "x.yaml", "x", "x.xls", "x.xlsm", "../../x.csv", "测试.csv", ""]
HEADERS = {
    "Accept-Language": ["zh-TW", "zh-HK,en;q=0.5", "*", "en;q=abc", "xx-YY", "", "zh-Hant-HK;q=0.9,zh;q=x"],
    "If-Modified-Since": ["garbage", "Mon, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT"],
    "If-None-Match": ['"x"', "*", "W/", '""'],
    "Authorization": ["Bearer", "Bearer mj_", "Bearer mj_" + "x" * 500, "Basic Zm9vOmJhcg==", "bearer  "],
    "Range": ["bytes=0-1", "bytes=999999-", "bytes=abc", "bytes=5-1", "bytes=0-0,-1"],
    "Content-Type": ["multipart/form-data", "multipart/form-data; boundary=", "application/json",
                     "application/x-www-form-urlencoded; charset=gb18030", "text/plain; charset=nope"],
    "Cookie": ["session=garbage", "session=" + "x" * 5000, "session=.eJw.x.y"],
}


@dataclass
class Pools:
    """The real values of the app a request's parts are drawn from, by argument name."""

    by_name: dict[str, list[str]]
    query_names: list[str]
    query_values: list[str]
    csrf: str | None = None  # a valid CSRF token of the client's session, when it has one
    no_csrf_for: set[str] = field(default_factory=set)  # endpoints never sent the valid token
    headers: dict[str, str] = field(default_factory=dict)  # sent with every request (API token)
    built: dict = field(default_factory=dict, repr=False)  # strategies already built (building is slow)

    def once(self, key, build):
        """The strategy `build()` made for `key`, built the first time it is asked for."""
        if key not in self.built:
            self.built[key] = build()
        return self.built[key]


def real_values(app: Flask) -> Pools:
    """The languages, kinds, codes, ids, years and slugs the app has, and its query parameter names."""
    with app.app_context():
        session = db.session
        codes = [c for model in MODELS.values()
                 for c in session.scalars(select(model.code).order_by(model.code).limit(3))]
        departments = list(session.scalars(select(Department.code).order_by(Department.code)))
        ids = {str(i) for model in (Revision, Upload, ApiToken, User) for i in session.scalars(select(model.id))}
        years = sorted({code.split("-")[0] for code in session.scalars(select(MODELS["appraisals"].code))})
    slugs = sorted(p.stem for p in (Path(app.config["CONTENT_DIR"]) / "pages").glob("*.md"))
    kinds = [*KINDS, DEPARTMENTS.name]
    by_name = {
        "lang": list(app.config["LOCALES"]), "kind": kinds, "code": codes + departments,
        "department": departments, "year": years, "number": ["1", "2", "3"], "slug": slugs,
        "fmt": ["html", "json", "atom", "rss", "csv", "xlsx"], "filename": ["css/site.css", "favicon.ico"],
        "key": ["0", "1-0", "abc"], "action": ["redact", "confirm"],
        **{name: sorted(ids | {"1", "2"}, key=int) for name in ("upload_id", "revision_id", "token_id", "user_id")},
    }
    facets = {f.param for kind in KINDS.values() for f in facets_of(kind)}
    sorts = [s.key for kind in KINDS.values() for s in kind.sorts]
    names = sorted(facets | {"page", "q", "sort", "action", "from", "to", "next", "kind", "department", "year"})
    values = [*kinds, *departments, *codes[:5], *years, *sorts, *POWER_TYPES, "1", "2", "2024-01-01"]
    return Pools(by_name, names, values)


def _real(name: str, converter: str | None, args: str | None, pools: Pools) -> list[str]:
    """The real values of a rule's argument: by its name, else by its converter, else any."""
    if converter == "any" and args:
        return [a.strip().strip("'\"") for a in args.split(",")]
    real = list(pools.by_name.get(name) or [v for vs in pools.by_name.values() for v in vs])
    return ([v for v in real if v.isdigit()] or ["1"]) if converter == "int" else real


def hostile_segments() -> st.SearchStrategy[str]:
    """A path segment that names nothing real: odd numbers, encodings, dots, scripts, empty."""
    return st.one_of(
        st.sampled_from(HOSTILE_SEGMENTS),
        st.integers(min_value=-5, max_value=2**70).map(str),
        st.text(max_size=10).map(lambda t: quote(t, safe="")),
    )


def fill(rule: str, values: dict[str, str], default: str) -> str:
    """`rule` with each argument replaced by its value in `values`, else by `default`."""
    return _ARGUMENT.sub(lambda m: values.get(m["name"], default), rule)


def paths(rule: str, pools: Pools) -> st.SearchStrategy[str]:
    """URL paths of `rule`: its arguments real values, and often one or all of them hostile.

    One hostile argument among real ones reaches the view with it (a huge id under a real
    language); all of them hostile tries the router itself.
    """
    parts = _ARGUMENT.split(rule)
    # re.split with 3 groups: text, converter, args, name, text, …
    texts, arguments = parts[0::4], [parts[i:i + 3] for i in range(1, len(parts), 4)]
    if not arguments:
        return st.just(rule)
    real = st.tuples(*[st.sampled_from(_real(name, converter, args, pools)) for converter, args, name in arguments])
    hostile = pools.once("hostile", hostile_segments)
    one = st.tuples(real, st.integers(0, len(arguments) - 1), hostile).map(
        lambda t: (*t[0][:t[1]], t[2], *t[0][t[1] + 1:]))
    every = st.tuples(*[hostile] * len(arguments))

    def build(segments):
        return texts[0] + "".join(seg + text for seg, text in zip(segments, texts[1:]))

    return st.one_of(real, one, one, every).map(build)


def _query(pools: Pools):
    name = st.one_of(st.sampled_from(pools.query_names), st.sampled_from(HOSTILE_NAMES), st.text(max_size=5))
    value = st.one_of(st.sampled_from(pools.query_values), st.sampled_from(HOSTILE_VALUES), st.text(max_size=20))
    pairs = st.lists(st.tuples(name, value), max_size=4)
    return st.one_of(pairs, pairs, pairs, st.sampled_from(RAW_QUERIES))


def _form(pools: Pools, endpoint: str):
    token = [pools.csrf] if pools.csrf and endpoint not in pools.no_csrf_for else []
    value = st.one_of(st.sampled_from(pools.query_values + HOSTILE_VALUES), st.text(max_size=20))
    file = st.tuples(st.sampled_from(FILES), st.sampled_from(FILE_NAMES)).map(
        lambda f: (io.BytesIO(f[0]), f[1]))
    fields = st.dictionaries(st.sampled_from(FORM_FIELDS), value, max_size=5)

    def finish(parts):
        form, csrf, upload = parts
        if csrf is not None:
            form["csrf_token"] = csrf
        if upload is not None:
            form["file"] = upload
        return form

    return st.tuples(fields, st.sampled_from([None, *token]), st.none() | file).map(finish)


def requests(rule: str, endpoint: str, methods: set[str], pools: Pools) -> st.SearchStrategy[dict]:
    """Keyword arguments for `client.open`: a path of `rule`, a method (its own, mostly), a query,
    maybe a form, and maybe a hostile header. (Built once per rule: building strategies is the
    slow part of drawing from them.)"""
    # Mostly the rule's own methods (Flask answers HEAD and OPTIONS without the view).
    own = st.sampled_from(sorted(methods - {"HEAD", "OPTIONS"}) or sorted(methods))
    method = st.one_of(own, own, st.sampled_from(METHODS))
    header = st.none() | st.sampled_from(sorted(HEADERS)).flatmap(
        lambda name: st.tuples(st.just(name), st.sampled_from(HEADERS[name])))
    form = pools.once(("form", endpoint in pools.no_csrf_for), lambda: _form(pools, endpoint))
    parts = st.tuples(method, paths(rule, pools), pools.once("query", lambda: _query(pools)), form, header)

    def build(drawn):
        method, path, query, form, extra = drawn
        request = {"path": path, "method": method, "query_string": query, "headers": dict(pools.headers)}
        if path.startswith("//"):
            # The test client would read "//x" as a host; a server passes it on as the path.
            request["path"] = "/"
            request["environ_overrides"] = {"PATH_INFO": unquote(path).encode().decode("latin-1")}
        if method in ("POST", "PUT"):
            request["data"] = form
        if extra:
            request["headers"][extra[0]] = extra[1]
        return request

    return parts.map(build)
