"""Warnings and refusals about what a publish does to items others rely on.

- A service guide that a live commitment still refers to is not withdrawn: the promise
  would point at nothing. The uploader is told which commitments to withdraw first.
- Nor is a power item a live service guide names as its 关联权力事项编码.
- A code whose title changes completely is most likely a code reused for another item:
  the preview says so and the uploader confirms before publishing.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import MODELS, Department
from ..schemas import KINDS, Kind, Problem
from .diff import Diff

# Who refers to a kind's items: (the referring kind, its field holding the code). A guide names
# the power it is done under (关联权力事项编码), and its next upload is refused while that power
# is withdrawn: withdrawing the power first would leave the department unable to re-upload its guides.
REFERRERS = {"services": (("commitments", "code"),), "powers": (("services", "power_code"),)}
# Titles this alike or less (difflib's ratio of their characters) name different items.
RENAMED_BELOW = 0.4
_NOISE = re.compile(r"[\s《》〈〉()()\[\]【】“”\"'、,,.。;;::-]")


def withdrawal_problems(session: Session, department: Department, kind: Kind, diff: Diff,
                        coming: Mapping[str, list[dict]] | None = None) -> list[Problem]:
    """A problem for each item the publish would withdraw while a live item of another kind refers to it.

    `coming`: the department's whole new list of a referring kind (by kind name), to be published
    with this one (`portal.publish.content`): its items are read as they will be, not as they are.
    """
    problems = []
    for referrer, column in REFERRERS.get(kind.name, ()):
        if not diff.withdrawn:
            break
        model = MODELS[referrer]
        query = select(getattr(model, column), model.code, model.title).where(
            getattr(model, column).in_(diff.withdrawn), model.withdrawn_at.is_(None))
        rows = []
        if coming is not None and referrer in coming:
            query = query.where(model.department_id != department.id)
            withdrawn = set(diff.withdrawn)
            referring = KINDS[referrer]
            rows = [(r[column], referring.key(r), referring.title_for(r, department.name))
                    for r in coming[referrer] if r.get(column) in withdrawn]
        rows = sorted([*session.execute(query).all(), *rows], key=lambda row: row[1])
        named: dict[str, list[str]] = {}
        for target, code, title in rows:
            named.setdefault(target, []).append(f"{code}《{title}》")
        for target, items in named.items():
            problems.append(Problem(None, kind.fields[0].label,
                                    str(_still_referred(referrer, code=target, items="、".join(items)))))
    return problems


def _still_referred(referrer: str, **values):
    if referrer == "services":
        return _l("“%(code)s”不在文件中,将被撤回,但仍有办事指南以它为关联权力事项:%(items)s。"
                  "请先修改或撤回这些办事指南,或在文件中保留该事项", **values)
    return _l("“%(code)s”不在文件中,将被撤回,但仍有服务承诺引用它:%(items)s。请先撤回或修改这些服务承诺,"
              "或在文件中保留该事项", **values)


def _plain(title: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", title))


def renamed(kind: Kind, live: dict[str, dict], incoming: dict[str, dict], diff: Diff) -> list[tuple[str, str, str]]:
    """(code, old title, new title) for each changed item whose title is wholly different."""
    found = []
    if kind.named_title:
        return found  # a case titled by its category may be recategorised and stay the same case
    for code in diff.changed:
        old, new = kind.title(live[code]), kind.title(incoming[code])
        if difflib.SequenceMatcher(None, _plain(old), _plain(new), autojunk=False).ratio() <= RENAMED_BELOW:
            found.append((code, old, new))
    return found


def renamed_message(code: str, old: str, new: str) -> str:
    """The preview's warning for one reused code."""
    return str(_l("编码 %(code)s 原为《%(old)s》,现为《%(new)s》:名称完全不同,可能是编码被重复使用。",
                  code=code, old=old, new=new))
