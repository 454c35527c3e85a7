"""Taiwan writes the financial numeral three as 參 (壹貳參肆伍陸柒捌玖): a number spelled so is found as
its Simplified spelling (壹贰叁…) is, and 參 stays a word where it is one (參加, 參考)."""

from __future__ import annotations

import pytest

from portal.privacy.detect import detect
from portal.privacy.normalize import fold
from portal.privacy.redact import redact


@pytest.mark.parametrize(("text", "value"), [
    ("手機壹參捌壹貳參肆伍陸柒捌", "13812345678"),
    ("身份證號碼壹壹〇壹〇伍壹玖肆玖壹貳參壹〇〇貳X", "11010519491231002X"),
])
def test_a_number_in_taiwan_financial_numerals_is_found_and_masked(text, value):
    assert value in [f.canonical for f in detect(text) if f.confidence == "high"], detect(text)
    assert not any(f.confidence == "high" for f in detect(redact(text)))


def test_a_lone_can_stays_a_word():
    assert "3" not in fold("請參考第參條,參加會議").text
    assert detect("請參考第參條,參加會議") == []
