"""Time limits as departments write them: 20个工作日, 即办, 0, 30个自然日, 3个月, 无法定时限.

A limit in working days is kept as a plain number (as lists always held it); a limit in
another unit as {"amount": 3, "unit": "个月"}; 无法定时限 as None. Working days are what
the portal compares: a limit in 自然日 or 个月 holds a number of working days that
depends on the day it starts (`portal.workdays.workday_span`), so comparisons take the
side that never flatters a department — the fewest working days of a statutory limit, the
most of a committed one.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..flowcharts.graph import InvalidFlow
from ..flowcharts.validate import read as read_flow
from ..workdays import workday_span
from .fields import Field, FieldError

WORKDAYS, CALENDAR_DAYS, MONTHS = "工作日", "自然日", "个月"
UNITS = (WORKDAYS, CALENDAR_DAYS, MONTHS)
NO_LIMIT = "无法定时限"
WORKDAYS_WORD = "个工作日"
INSTANT = ("即办", "即时办结", "当场办结", "即时", "当场")
_NONE = (NO_LIMIT, "无", "无时限", "无法定办结时限", "法律法规未规定", "/")
# How a unit is written after the number (行政许可法第八十二条: its 日 are working days).
_UNIT_SPELLINGS = (
    (WORKDAYS, ("个工作日", "工作日", "日", "")),
    (CALENDAR_DAYS, ("个自然日", "自然日", "个日历日", "日历日", "天")),
    (MONTHS, ("个月", "月")),
)
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(\D*)")


@dataclass(frozen=True)
class TimeLimit(Field):
    """A time limit: a number of working days, 即办 (0), another unit, or 无法定时限 when `open`."""

    # Whether 无法定时限 may be written (a statutory limit may be open; a promise may not).
    open: bool = False
    max_length: int = 20

    type_label = _l("时限")
    free_form = False

    def convert(self, text: str):
        text = unicodedata.normalize("NFKC", text).replace(" ", "")
        if text in INSTANT:
            return 0
        if self.open and text in _NONE:
            return None
        found = _NUMBER.fullmatch(text)
        unit = found and next((u for u, spellings in _UNIT_SPELLINGS if found[2] in spellings), None)
        if not unit:
            raise FieldError(_l("时限应写成“20个工作日”“即办”“30个自然日”“3个月”%(open)s:“%(value)s”",
                                open=_l("或“无法定时限”") if self.open else "", value=text[:40]))
        amount = float(found[1])
        if amount > 3650 or (unit != WORKDAYS and amount != int(amount)):
            raise FieldError(_l("时限数值不正确:“%(value)s”", value=text[:40]))
        amount = int(amount) if amount == int(amount) else round(amount, 1)
        return amount if unit == WORKDAYS or amount == 0 else {"amount": amount, "unit": unit}

    def format(self, value) -> str:
        # An open limit is required: its None was written 无法定时限, and uploads again as such.
        return NO_LIMIT if value is None and self.open else written(value)


def written(value) -> str:
    """A limit as a file cell writes it: “20”, “30个自然日”, “” for none."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return f"{value['amount']}{value['unit']}"
    return str(value)


def said(value) -> str:
    """A limit in words as departments write it: “20个工作日”, “即办”, “3个月”, “无法定时限”."""
    if value is None:
        return NO_LIMIT
    if value == 0:
        return INSTANT[0]
    return written(value) if isinstance(value, dict) else f"{value}{WORKDAYS_WORD}"


def unit_of(value) -> str | None:
    """The unit of a limit (None when there is no limit)."""
    if value is None:
        return None
    return value["unit"] if isinstance(value, dict) else WORKDAYS


def amount_of(value):
    """The number of a limit in its own unit (None when there is no limit)."""
    if value is None:
        return None
    return value["amount"] if isinstance(value, dict) else value


def workday_range(value) -> tuple[float, float] | None:
    """The fewest and most working days a limit holds (None for 无法定时限)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        return value, value
    return workday_span(int(value["amount"]), value["unit"])


def fewest_workdays(value):
    """The working days a limit surely holds (a statutory limit, compared honestly)."""
    found = workday_range(value)
    return None if found is None else found[0]


def most_workdays(value):
    """The working days a limit may take at most (a committed limit, compared honestly)."""
    found = workday_range(value)
    return None if found is None else found[1]


def flow_beyond_promise(flow_rows: list[dict], committed) -> float | None:
    """The working days a flow's main path adds up to when they exceed a committed limit, else None.

    The page and the preview flag the contradiction (15 working days of steps under a promise of
    5); a limit in another unit is taken at the most working days it may hold. 特别程序 are not
    counted, as against the statutory limit. A flow that does not read as a graph says nothing.
    """
    if committed is None:
        return None
    try:
        flow = read_flow(flow_rows)
    except InvalidFlow:
        return None
    days = flow.main_days()
    return days if days > most_workdays(committed) else None


def exact_average(counted) -> float | None:
    """The average of ratios counted as (ratio, how many) pairs (None: nothing to average), as
    math.fsum gives it: the exact sum rounded once, so the same whatever order or grouping the
    database gave the values in (a department alone or the whole city; SQL AVG adds in the order
    of whichever index the planner walks, and its last digits change with the plan)."""
    how_many = sum(n for _ratio, n in counted)
    if not how_many:
        return None
    return math.fsum(itertools.chain.from_iterable(itertools.repeat(r, n) for r, n in counted)) / how_many
