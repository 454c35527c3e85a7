"""The home page: the city's key figures and the latest published changes."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, url_for

from ..catalog import figures
from ..extensions import db
from . import serialize, stats
from ..i18n import negotiate
from ..web.locale import localized_blueprint
from ..web.twins import render, route

root = Blueprint("root", __name__)
bp = localized_blueprint("home", __name__)


@root.route("/")
def to_preferred_locale():
    """Send visitors to the home page in the language their browser asks for."""
    response = redirect(url_for("home.index", lang=negotiate.choose(request.accept_languages)))
    response.vary.add("Accept-Language")
    return response


@route(bp, "/")
def index(fmt):
    """The home page (and its JSON twin)."""
    found = figures.key_figures(db.session)
    changes = figures.latest_changes(db.session, current_app.config["HOME_CHANGES"])
    data = {
        "figures": {
            "departments": found.departments,
            "counts": found.counts,
            "average_compression": found.average_compression,
            "complaints_within_limit": found.complaints_within_limit,
            "complaints_substantiated": found.complaints_substantiated,
            "people_handled": found.people_handled,
        },
        "latest_changes": [serialize.event(c, screened=True) for c in changes],  # public_events screened them
    }
    home_charts = stats.home_charts()
    data["charts"] = [c["data"] for c in home_charts]
    return render(fmt, "home/index.html", data, home_charts=home_charts)
