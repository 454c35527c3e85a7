"""Blueprints: home, departments, the five disclosure kinds, site pages, the API description,
robots.txt and sitemaps, error pages."""

from __future__ import annotations

from flask import Flask

from ..i18n.display import to_traditional
from . import (
    accounts, api, apidocs, auth, changes, data, departments, desk, disclosures, errors, feeds, flowcharts,
    home, pages, privacy, scorecards, search, site, stats,
)


def register_blueprints(app: Flask) -> None:
    """Register every blueprint, the error pages, and Traditional conversion of zh-hant pages."""
    for blueprint in (home.root, home.bp, departments.bp, disclosures.bp, flowcharts.bp, pages.bp,
                      changes.bp, feeds.bp, auth.bp, desk.bp, accounts.bp, api.bp, privacy.bp,
                      search.bp, data.files, data.bp, apidocs.root, apidocs.bp, site.bp, stats.bp, scorecards.bp):
        app.register_blueprint(blueprint)
    errors.init_app(app)
    app.after_request(to_traditional)
