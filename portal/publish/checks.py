"""Checks across kinds: a record that refers to another kind's item must find it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..flowcharts.graph import InvalidFlow, over_limit_message
from ..flowcharts.validate import read
from ..models import Commitment, PowerItem, ServiceGuide
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


def flows_fit_statutory_limits(session, department, rows) -> list[Problem]:
    """A flow's main path takes no longer than the statutory limit of its live commitment."""
    codes = [record["code"] for _, record in rows]
    limits = dict(session.execute(
        select(Commitment.code, Commitment.statutory_days).where(
            Commitment.department_id == department.id, Commitment.code.in_(codes),
            Commitment.withdrawn_at.is_(None),
        )
    ).all()) if codes else {}
    problems = []
    for number, record in rows:
        if record["code"] in limits:
            # The flow itself was validated with the row, so it reads as a graph.
            message = over_limit_message(read(record["flow"]), limits[record["code"]])
            if message:
                problems.append(Problem(number, "办理流程", str(message)))
    return problems


def statutory_limits_fit_flows(session, department, rows) -> list[Problem]:
    """A commitment's statutory limit leaves room for the main path of its service's flow."""
    codes = [record["code"] for _, record in rows]
    records = dict(session.execute(
        select(ServiceGuide.code, ServiceGuide.record).where(
            ServiceGuide.department_id == department.id, ServiceGuide.code.in_(codes),
            ServiceGuide.withdrawn_at.is_(None),
        )
    ).all()) if codes else {}
    problems = []
    for number, record in rows:
        try:
            flow = read(records[record["code"]]["flow"]) if record["code"] in records else None
        except InvalidFlow:
            flow = None  # published before the flow rules; its chart is not drawn either
        message = over_limit_message(flow, record["statutory_days"]) if flow else None
        if message:
            problems.append(Problem(number, "法定办结时限", str(message)))
    return problems


CROSS_CHECKS = {
    "commitments": (commitments_name_services, statutory_limits_fit_flows),
    "services": (services_name_powers, flows_fit_statutory_limits),
}
