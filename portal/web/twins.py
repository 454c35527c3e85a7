"""Every page answers in two formats: HTML for people, JSON for machines — from one set of data.

A view computes its data once (plain values: text, numbers, dates, lists and
dicts) and calls `render`: the JSON twin *is* that data, and the HTML template
receives the same data (plus presentation helpers such as the kind's
declaration), so the two cannot drift apart and tests can check the data
without parsing HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask, Response, current_app, render_template, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import Rule

# Endpoints besides the twins that any web page may read (the API's own description).
_OPEN: set[str] = set()


class JSONProvider(DefaultJSONProvider):
    """JSON as the twins write it: dates and times in ISO 8601, Chinese as UTF-8, keys in order."""

    ensure_ascii = False
    sort_keys = False

    @staticmethod
    def default(o):
        """ISO 8601 for dates (Flask's default writes HTTP dates)."""
        if isinstance(o, (dt.date, dt.datetime)):
            return o.isoformat()
        return DefaultJSONProvider.default(o)


def render(fmt: str, template: str | list[str], data: dict, **presentation):
    """The page: `template` rendered with `data` (and `presentation`), or the JSON twin, `data` itself."""
    if fmt == "json":
        return current_app.json.response(data)
    return render_template(template, **{**data, **presentation, "data": data})


def respond(fmt: str, template: str, context: dict, data: Callable[[], dict]):
    """Render `template` with `context`, or, for the JSON twin, return `data()` as JSON.

    Only for the hash chain's page, on purpose: its HTML pages through the chain while its
    twin is the whole chain, for anyone to archive and check. Every other page uses `render`.
    """
    if fmt == "json":
        return current_app.json.response(data())
    return render_template(template, **context)


def both(rule: str) -> list[tuple[str, dict]]:
    """The pair of URL rules for a page: `rule` ending in / for HTML, and its .json twin."""
    stem = rule.rstrip("/")
    return [(rule, {"fmt": "html"}), (f"{stem or '/index'}.json", {"fmt": "json"})]


def route(bp, rule: str, **options):
    """Register a view under its HTML rule and its JSON twin rule."""

    def decorator(view):
        for url, defaults in both(rule):
            bp.add_url_rule(url, view_func=view, defaults=defaults, **options)
        return view

    return decorator


def is_twin(rule: Rule | None) -> bool:
    """True for the rule of a JSON twin (registered by `route`)."""
    return rule is not None and (rule.defaults or {}).get("fmt") == "json"


def open_route(bp, rule: str, **options):
    """Register a view that, like a twin, any web page may read (cross-origin)."""

    def decorator(view):
        bp.add_url_rule(rule, view_func=view, **options)
        _OPEN.add(f"{bp.name}.{options.get('endpoint', view.__name__)}")
        return view

    return decorator


def allow_any_origin(response: Response) -> Response:
    """Let scripts on any site read the twins, their error answers included, and the API description.

    They are public, and sent without cookies or credentials, so `*` is safe. A plain
    GET needs no preflight; one that sends other headers (If-None-Match…) is preflighted
    with OPTIONS, which Flask answers for every rule and which is allowed here.
    """
    rule = request.url_rule
    if not (is_twin(rule) or (rule is not None and rule.endpoint in _OPEN)):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD"
        response.headers["Access-Control-Allow-Headers"] = "*"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def init_app(app: Flask) -> None:
    """Write every twin with the same JSON conventions, readable from any origin."""
    app.json = JSONProvider(app)
    app.after_request(allow_any_origin)
