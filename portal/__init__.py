"""Mingjing (明镜): the open-data portal of a city's efficiency programme."""

from __future__ import annotations

from flask import Flask

from . import cli, config, downloads, export, flowstore, search, templating
from .extensions import babel, csrf, db
from .views import hosts, register_blueprints, security
from .web import page_cache, requests, twins
from .web.locale import select_locale


def create_app(test_config: dict | None = None) -> Flask:
    """Create the portal: settings, extensions, blueprints and commands.

    `test_config` overrides settings; its INSTANCE_PATH moves the instance folder.
    """
    app: Flask = page_cache.AnswerKeepingFlask(  # keeps public answers once finished (see the module)
        __name__,
        instance_path=(test_config or {}).get("INSTANCE_PATH"),
        instance_relative_config=True,
        static_folder=str(config.ROOT / "static"),
    )
    app.config.from_mapping(config.load(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    db.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=None)
    csrf.init_app(app)
    templating.init_app(app)
    requests.init_app(app)
    twins.init_app(app)
    register_blueprints(app)
    security.init_app(app)
    hosts.init_app(app)
    cli.init_app(app)
    flowstore.init_app(app)
    search.init_app(app)
    downloads.init_app(app)
    export.init_app(app)
    page_cache.init_app(app)  # last: the projections' catch-up hooks run before a kept answer is sent
    return app
