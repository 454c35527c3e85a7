"""Reading a request the same way everywhere: page numbers, path ids, kinds, and load-or-404."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, abort, current_app, request
from werkzeug.routing import BaseConverter, IntegerConverter, ValidationError

from ..schemas import DEPARTMENTS, KINDS

T = TypeVar("T")

# Page numbers and path ids are plain ASCII digits below these bounds: a larger one names
# nothing, and databases refuse integers past 2^63 (an error page, not a 500).
MAX_PAGE = 10**7
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,8}")


def page_number(name: str = "page") -> int:
    """The page a request's query asks for: 1 when absent, 404 for anything but a page number."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return 1
    if not _DIGITS.fullmatch(raw) or not 1 <= int(raw) <= MAX_PAGE:
        abort(404)
    return int(raw)


def or_404(load: Callable[..., T], *args, **kwargs) -> T:
    """Call a lookup; when it names nothing (any LookupError, such as catalog's NotFound), answer 404."""
    try:
        return load(*args, **kwargs)
    except LookupError:
        abort(404)


# The settings an absolute URL (url_for(_external=True)) or a feed's tag: URI is made of besides the
# request's own address; `hosts` sets the first two from SITE_URL, the static export its own.
_ADDRESS_SETTINGS = ("SERVER_NAME", "PREFERRED_URL_SCHEME", "APPLICATION_ROOT", "STATIC_EXPORT", "TAG_AUTHORITY")


def address_key() -> tuple:
    """What the absolute addresses an answer writes depend on, besides its own path: the request's
    scheme, host and script root, and the settings that override them.

    Anything kept and sent again to other requests (a public answer, a feed page's entries) is keyed
    on it, so that an answer made for one address of the portal is never sent for another."""
    config = current_app.config
    return (request.scheme, request.host, request.script_root, *(config.get(name) for name in _ADDRESS_SETTINGS))


def query_args() -> dict[str, str]:
    """The request's query parameters that may be passed on to `url_for` as query parameters.

    Names that `url_for` or the URL itself already uses (the view's own arguments,
    `lang`, `fmt`, `endpoint`, anything starting with `_`) are left out, so that a
    hostile query string cannot break the links every page builds.
    """
    taken = set(request.view_args or ()) | {"lang", "fmt", "endpoint", "values"}
    if request.endpoint:  # a list's path arguments (page, sort, one filter) are never query parameters
        taken |= {arg for rule in current_app.url_map.iter_rules(request.endpoint) for arg in rule.arguments}
    return {k: v for k, v in request.args.items() if k not in taken and not k.startswith("_")}


class BoundedInteger(IntegerConverter):
    """`<int:…>` in every route: a number too large for the database is no match (404), and so is
    one in other digits (٣, １): Python's int() reads them, but they would be a second address."""

    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class KindConverter(BaseConverter):
    """`<kind:kind>`: any declared kind; `<kind(pages=True):kind>` only kinds with item pages;
    `<kind(reference=True):kind>` the departments too (the change log's revisions).

    Read from the registry when a URL is matched, so a kind declared later has its URLs too.
    """

    regex = "[a-z_]+"  # a kind's name: never a twin's "powers.json"

    def __init__(self, map, pages: bool = False, reference: bool = False):
        super().__init__(map)
        self.pages = pages
        self.reference = reference

    def to_python(self, value: str) -> str:
        if self.reference and value == DEPARTMENTS.name:
            return value
        found = KINDS.get(value)
        if found is None or (self.pages and not found.item_pages):
            raise ValidationError()
        return value


def init_app(app: Flask) -> None:
    """Register the converters every blueprint's rules use."""
    app.url_map.converters["int"] = BoundedInteger
    app.url_map.converters["kind"] = KindConverter
