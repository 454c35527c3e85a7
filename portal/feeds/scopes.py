"""Which feeds exist and what they are called: the site, each kind, each department, each
department's kind."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from ..catalog.changes import Scope
from ..city import city
from ..i18n.display import department_name, lang, term
from ..models import Department
from ..schemas import KINDS
from ..web.urls import feed_url


@dataclass
class FeedLink:
    """A feed as pages advertise and list it: its title and both formats' URLs."""

    scope: Scope
    title: str
    atom: str
    rss: str


def city_name() -> str:
    """The city's name in the current language."""
    the_city = city(current_app.config["CONTENT_DIR"])
    return the_city.name_en if lang() == "en" and the_city.name_en else the_city.name


def title(scope: Scope, department: Department | None = None) -> str:
    """A feed's title in the current language; `department` is the scope's department."""
    if department is not None and scope.kind:
        return _("%(department)s · %(kind)s:变更订阅", department=department_name(department),
                 kind=term(KINDS[scope.kind].label))
    if department is not None:
        return _("%(department)s:全部公开内容的变更订阅", department=department_name(department))
    if scope.kind:
        return _("%(kind)s:各部门的变更订阅", kind=term(KINDS[scope.kind].label))
    return _("%(city)s机关效能公开:全部变更订阅", city=city_name())


def subtitle() -> str:
    """What a feed carries, in one sentence."""
    return _("每一次新增、变更和撤回,最新的在前;每条都链接到事项页面和逐项差异。")


def link(scope: Scope, department: Department | None = None) -> FeedLink:
    """The feed of a scope as a link (relative URLs, for pages)."""
    return FeedLink(
        scope,
        title(scope, department),
        feed_url("atom", department=scope.department, kind=scope.kind),
        feed_url("rss", department=scope.department, kind=scope.kind),
    )


def catalogue(departments: list[Department]) -> dict:
    """Every feed: the site's, each kind's, and per department its own and its kinds'."""
    return {
        "site": link(Scope()),
        "kinds": [link(Scope(kind=k)) for k in KINDS],
        "departments": [
            {
                "department": d,
                "all": link(Scope(department=d.code), d),
                "kinds": [link(Scope(department=d.code, kind=k), d) for k in KINDS],
            }
            for d in departments
        ],
    }
