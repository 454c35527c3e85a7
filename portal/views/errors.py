"""Error pages in the visitor's language."""

from __future__ import annotations

from flask import g, render_template, request
from werkzeug.exceptions import HTTPException

from .i18n import default_lang


def init_app(app) -> None:
    """Render 4xx/5xx as pages (or JSON for .json URLs) in the locale of the URL."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.endswith(".json"):
            return {"error": error.name, "status": error.code}, error.code
        if not getattr(g, "lang", None):
            prefix = request.path.strip("/").split("/", 1)[0]
            g.lang = prefix if prefix in app.config["LOCALES"] else default_lang()
        return render_template("errors/error.html", error=error), error.code
