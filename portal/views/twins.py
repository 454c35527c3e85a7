"""Every page answers in two formats: HTML for people, JSON for machines."""

from __future__ import annotations

from collections.abc import Callable

from flask import jsonify, render_template


def respond(fmt: str, template: str, context: dict, data: Callable[[], dict]):
    """Render `template` with `context`, or, for the JSON twin, return `data()` as JSON."""
    if fmt == "json":
        response = jsonify(data())
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response
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
