"""Checks across kinds: a record that refers to another kind's item must find it."""

from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from ..flowcharts.graph import InvalidFlow, over_limit_message, plain_days
from ..flowcharts.validate import read
from ..models import Commitment, PowerItem, ServiceGuide
from ..schemas import Problem
from ..schemas.limits import WORKDAYS, flow_beyond_promise, most_workdays, said, unit_of, written


def _codes(session, model, department) -> set[str]:
    return set(session.scalars(_live_codes(model), {"department": department.id}))


# Statements a publish of guides or commitments runs, built once (building costs more than running).
@cache
def _live_codes(model):
    return select(model.code).where(model.department_id == bindparam("department"), model.withdrawn_at.is_(None))


@cache
def _live_field_of(model, name):
    # One field of each record, read out by the database: a guide's whole record (its materials,
    # its steps) is not decoded to read its flow.
    return select(model.code, model.record[name]).where(
        model.department_id == bindparam("department"), model.code.in_(bindparam("codes", expanding=True)),
        model.withdrawn_at.is_(None))


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


def _beyond(flow, statutory):
    """The message when `flow` takes longer than a statutory limit as written (None: no limit, or it fits).

    A limit in 自然日 or 个月 is compared at the most working days it may hold: only a flow
    that is too long however the days fall is refused.
    """
    if statutory is None:
        return None
    other = unit_of(statutory) != WORKDAYS
    return over_limit_message(flow, most_workdays(statutory), written(statutory) if other else None)


def flows_fit_statutory_limits(session, department, rows) -> list[Problem]:
    """A flow's main path takes no longer than the statutory limit of its live commitment."""
    codes = [record["code"] for _, record in rows]
    limits = dict(session.execute(
        _live_field_of(Commitment, "statutory_days"), {"department": department.id, "codes": codes}).all()) \
        if codes else {}
    problems = []
    for number, record in rows:
        if record["code"] in limits:
            # The flow itself was validated with the row, so it reads as a graph.
            message = _beyond(read(record["flow"]), limits[record["code"]])
            if message:
                problems.append(Problem(number, "办理流程", str(message)))
    return problems


def statutory_limits_fit_flows(session, department, rows) -> list[Problem]:
    """A commitment's statutory limit leaves room for the main path of its service's flow."""
    codes = [record["code"] for _, record in rows]
    flows = dict(session.execute(
        _live_field_of(ServiceGuide, "flow"), {"department": department.id, "codes": codes}).all()) if codes else {}
    problems = []
    for number, record in rows:
        try:
            found = flows.get(record["code"])
            flow = read(found) if found is not None else None
        except InvalidFlow:
            flow = None  # published before the flow rules; its chart is not drawn either
        message = _beyond(flow, record["statutory_days"]) if flow else None
        if message:
            problems.append(Problem(number, "法定办结时限", str(message)))
    return problems


CROSS_CHECKS = {
    "commitments": (commitments_name_services, statutory_limits_fit_flows),
    "services": (services_name_powers, flows_fit_statutory_limits),
}


def promise_warnings(session, department, kind_name: str, records: list[dict]) -> list[tuple[str, str]]:
    """(code, message) for each guide whose flow takes longer than its commitment promises.

    Not a refusal: the flow's steps and the promise may both be right (steps run in
    parallel), but the public would see them contradict, so the preview says so.
    """
    other = Commitment if kind_name == "services" else ServiceGuide
    if kind_name not in ("services", "commitments"):
        return []
    codes = [record["code"] for record in records]
    theirs = {code: record for code, record in session.execute(
        select(other.code, other.record).where(
            other.department_id == department.id, other.code.in_(codes), other.withdrawn_at.is_(None))
    )} if codes else {}
    found = []
    for record in records:
        if record["code"] not in theirs:
            continue
        guide, promise = (record, theirs[record["code"]]) if kind_name == "services" else (theirs[record["code"]], record)
        days = flow_beyond_promise(guide["flow"], promise["committed_days"])
        if days is not None:
            found.append((record["code"], str(_l(
                "办理流程各环节时限合计 %(days)s 个工作日,超过承诺办结时限 %(promise)s",
                days=plain_days(days), promise=said(promise["committed_days"])))))
    return found
