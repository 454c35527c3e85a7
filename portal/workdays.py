"""Working days between two dates, as 限时办结 counts them."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


def working_days(start: dt.date, end: dt.date) -> int:
    """Count Monday–Friday days after `start` up to and including `end`.

    The day a case is accepted does not count (the limit runs from the next day).
    Public holidays and adjusted working weekends are not modelled: the count is
    of weekdays only, which can only make a department look slower, never faster.
    """
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def _add_months(start: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter: 31 Jan + 1 → 28/29 Feb)."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return min(start.replace(year=year, month=month, day=1) + dt.timedelta(days=start.day - 1),
               following - dt.timedelta(days=1))


# Four whole years of start days: every weekday meets every month length and a leap year.
_STARTS = tuple(dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(4 * 365 + 1))


@lru_cache(maxsize=512)
def workday_span(amount: int, unit: str) -> tuple[int, int]:
    """The fewest and the most working days a limit of `amount` 自然日 or 个月 can hold.

    A limit in calendar days or months holds a number of working days that depends on
    the day it starts: 30 自然日 hold 20 to 22 of them. Counted as `working_days` counts
    (weekdays only), over every start day of four years.
    """
    if unit == "个月":
        counts = [working_days(s, _add_months(s, amount)) for s in _STARTS]
    else:
        counts = [working_days(s, s + dt.timedelta(days=amount)) for s in _STARTS[:7]]
    return min(counts), max(counts)
