"""Error pages and JSON errors in the visitor's language."""

from __future__ import annotations

from flask import current_app, g, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, UnavailableForLegalReasons

from ..privacy.guard import Withheld

from ..web.locale import default_lang


def message(error: HTTPException) -> str:
    """What went wrong, said plainly in the current language."""
    if isinstance(error, CSRFError):
        return _("表单已过期或缺少安全令牌,请刷新页面后重试")
    if error.code == 413:
        limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return _("文件或请求太大,上限为 %(mb)s MB", mb=limit)
    return {
        400: _("请求有误"),
        401: _("需要登录"),
        403: _("无权访问"),
        404: _("没有找到这个页面"),
        405: _("不支持这种请求方式"),
        409: _("与当前状态冲突"),
        429: _("请求过于频繁,请稍后再试"),
        451: _("该内容涉及个人信息保护,正在复核,暂不公开"),
    }.get(error.code, _("出错了"))


def passed_on_headers(error: HTTPException) -> dict[str, str]:
    """The headers an HTTP error carries besides its body's type: Allow on a 405, WWW-Authenticate…"""
    return {name: value for name, value in error.get_headers() if name.lower() != "content-type"}


def init_app(app) -> None:
    """Render 4xx/5xx as pages (or JSON for .json URLs and the API) in the locale of the URL."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if not g.get("lang"):
            prefix = request.path.strip("/").split("/", 1)[0]
            g.lang = prefix if prefix in app.config["LOCALES"] else default_lang()
        headers = passed_on_headers(error)
        if request.path.endswith(".json") or request.path.startswith("/api/"):
            return {"error": message(error), "status": error.code}, error.code, headers
        if request_ctx.url_adapter is None:
            # The Host was refused (not a trusted one): no link can be built for it, and none should be.
            return message(error), error.code, {**headers, "Content-Type": "text/plain; charset=utf-8"}
        return render_template("errors/error.html", error=error, message=message(error)), error.code, headers

    @app.errorhandler(Withheld)
    def withheld(error: Withheld):
        # The privacy guard refused an item (and logged it): answer as for any unavailable page.
        return http_error(UnavailableForLegalReasons())
