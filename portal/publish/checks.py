"""Checks across kinds: a record that refers to another kind's item must find it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..models import PowerItem, ServiceGuide
from ..schemas import Problem


def _codes(session, model, department) -> set[str]:
    return set(
        session.scalars(
            select(model.code).where(
                model.department_id == department.id, model.withdrawn_at.is_(None)
            )
        )
    )


def commitments_name_services(session, department, rows) -> list[Problem]:
    """Every commitment is made for one of the department's published service guides."""
    services = _codes(session, ServiceGuide, department)
    return [
        Problem(number, "事项编码",
                str(_l("本部门没有已发布的办事指南“%(code)s”,请先发布办事指南", code=record["code"])))
        for number, record in rows
        if record["code"] not in services
    ]


def services_name_powers(session, department, rows) -> list[Problem]:
    """A service guide's linked power item, when given, is one of the department's."""
    powers = _codes(session, PowerItem, department)
    return [
        Problem(number, "关联权力事项编码",
                str(_l("本部门没有权力事项“%(code)s”", code=record["power_code"])))
        for number, record in rows
        if record["power_code"] and record["power_code"] not in powers
    ]


CROSS_CHECKS = {
    "commitments": (commitments_name_services,),
    "services": (services_name_powers,),
}
