"""Working days between two dates, as 限时办结 counts them."""

from __future__ import annotations

import datetime as dt


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
