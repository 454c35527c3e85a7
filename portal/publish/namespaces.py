"""Who may publish a code: a department publishes only codes of its own namespace.

In order, the first rule that names an owner decides:

1. a code the efficiency office handed to a department (`CodeGrant`) is that department's;
2. a city code (主体码-类型码-序号) is the department's whose code is its 主体码;
3. a national 实施编码 is the department's that has its 统一社会信用代码 on record;
4. any other code is the department's that published it first (its item, live or withdrawn).

So no department can take another's codes and lock it out, and a code that is
nobody's yet is free. Only `hand_over` (the efficiency office) moves a code.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..accounts import audit
from ..i18n.display import department_name
from ..models import MODELS, CodeGrant, Department, User
from ..schemas import Kind, Problem
from ..schemas.codes import ItemCode, city_prefix, credit_code


def owners(session: Session, kind: Kind, codes: list[str]) -> dict[str, tuple[int | None, str]]:
    """For each code, the id of the department it belongs to (None: a city code nobody holds) and why."""
    found: dict[str, tuple[int | None, str]] = {}
    if not codes:
        return found
    # Ids, codes and credit codes only: a publish asks this twice, and whole departments are
    # built only for the codes another department holds (`ownership_problems`).
    departments = session.execute(_DEPARTMENTS).all()
    by_code = {code: id_ for id_, code, _credits in departments}
    by_credit = {c.upper(): id_ for id_, _code, credits in departments for c in credits or ()}
    for code, department_id in session.execute(_GRANTS, {"kind": kind.name, "codes": codes}):
        found[code] = (department_id, "grant")
    held = dict(session.execute(_holders(MODELS[kind.name]), {"codes": codes}).all())
    for code in codes:
        if code in found:
            continue
        prefix, credit = city_prefix(code), credit_code(code)
        if prefix is not None:
            found[code] = (by_code.get(prefix), "prefix")
        elif credit is not None and credit in by_credit:
            found[code] = (by_credit[credit], "credit")
        elif code in held:
            found[code] = (held[code], "first")
    return found


def _message(code: str, owner: Department | None, why: str, department: Department) -> str:
    if why == "prefix" and owner is None:
        return str(_l("编码“%(code)s”的主体码不是本部门的编码(%(own)s)", code=code, own=department.code))
    messages = {
        "grant": _l("编码“%(code)s”已由效能办移交给%(owner)s(%(owner_code)s)"),
        "prefix": _l("编码“%(code)s”的主体码属于%(owner)s(%(owner_code)s),只能由该部门发布"),
        "credit": _l("编码“%(code)s”中的统一社会信用代码属于%(owner)s(%(owner_code)s),只能由该部门发布;"
                     "事项已划转的,请联系效能办移交编码"),
        "first": _l("编码“%(code)s”已由其他部门(%(owner_code)s)使用"),
    }
    return str(messages[why]) % {"code": code, "owner": department_name(owner), "owner_code": owner.code}


def ownership_problems(session: Session, department: Department, kind: Kind, rows) -> list[Problem]:
    """Numbered rows must belong to the department, and their codes to its namespace."""
    problems = []
    department_label = kind.field("department").label
    for number, record in rows:
        if record["department"] != department.code:
            problems.append(
                Problem(number, department_label,
                        str(_l("该行属于其他部门(%(code)s),只能发布本部门(%(own)s)的数据",
                               code=record["department"], own=department.code)))
            )
    codes = {kind.key(record): number for number, record in rows}
    found = owners(session, kind, list(codes)) if isinstance(kind.fields[0], ItemCode) else \
        _first_publishers(session, kind, list(codes))
    for code, (owner, why) in found.items():
        if owner is None or owner != department.id:
            owner = session.get(Department, owner) if owner is not None else None
            problems.append(Problem(codes[code], kind.fields[0].label, _message(code, owner, why, department)))
    return problems


def _first_publishers(session, kind, codes):
    """Codes that are not item codes (complaint case numbers …) belong to whoever published them first."""
    if not codes:
        return {}
    rows = session.execute(_holders(MODELS[kind.name]), {"codes": codes})
    return {code: (owner, "first") for code, owner in rows}


# Statements every publish runs twice (preparing, then under the lock), built once.
_DEPARTMENTS = select(Department.id, Department.code, Department.credit_codes)
_GRANTS = select(CodeGrant.code, CodeGrant.department_id).where(
    CodeGrant.kind == bindparam("kind"), CodeGrant.code.in_(bindparam("codes", expanding=True)))


@cache
def _holders(model):
    """Which department holds each of some codes (live or withdrawn)."""
    return select(model.code, model.department_id).where(model.code.in_(bindparam("codes", expanding=True)))


class HandOverRefused(ValueError):
    """The code cannot be handed over as asked; the message says why, for the office."""


def hand_over(session: Session, actor: User, kind: Kind, code: str, department: Department,
              reason: str) -> CodeGrant:
    """Hand `code` of `kind` to `department` (the efficiency office only); the caller commits.

    An item still live under another department must be withdrawn there first; a
    withdrawn one (its tombstone) moves with its code, so that the new owner's
    publication continues it.
    """
    if not actor.is_admin:
        raise PermissionError(actor.username)
    if not reason.strip():
        raise HandOverRefused(str(_l("请写明移交原因")))
    model = MODELS[kind.name]
    item = session.scalars(select(model).where(model.code == code)).first()
    if item is not None and item.department_id != department.id:
        if item.withdrawn_at is None:
            raise HandOverRefused(str(_l("编码“%(code)s”仍由%(owner)s公开,请先由该部门撤回后再移交",
                                         code=code, owner=department_name(item.department))))
        item.department_id = department.id
    grant = session.scalars(select(CodeGrant).where(CodeGrant.kind == kind.name, CodeGrant.code == code)).first()
    if grant is None:
        grant = CodeGrant(kind=kind.name, code=code)
        session.add(grant)
    grant.department_id, grant.granted_by, grant.reason = department.id, actor.username, reason.strip()
    audit.record(session, actor.username, "code.handed_over", department=department, kind=kind.name, code=code)
    return grant
