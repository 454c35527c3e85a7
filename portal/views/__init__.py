"""Blueprints: home, departments, the five disclosure kinds, site pages, error pages."""

from __future__ import annotations

from flask import Flask

from . import departments, disclosures, errors, home, pages


def register_blueprints(app: Flask) -> None:
    """Register every blueprint and the error pages."""
    for blueprint in (home.root, home.bp, departments.bp, disclosures.bp, pages.bp):
        app.register_blueprint(blueprint)
    errors.init_app(app)
