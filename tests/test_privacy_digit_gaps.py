"""A tab (cells pasted from a spreadsheet) or a middle dot (138·1234·5678) between the groups of a number
hides nothing: the number is found, refused in a withdrawal reason and masked. A middle dot anywhere
else — between the parts of a name (买买提·艾力), after a plate's letter — reads as it did. A space
typed before an ID number's final X (11010519491231002 X) hides it no more either."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.privacy.detect import detect
from portal.privacy.redact import redact
from tests.privacy_strategies import IDS, MOBILES, assert_refused_in_a_reason

PROPERTY = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
GAPS = st.sampled_from(["\t", "·", "•", "・", "‧", "∙", "⋅"])


def grouped(canonical: str, gap: str) -> str:
    """A mobile (3-4-4) or an ID (6-8-4) with `gap` between its groups."""
    cuts = (3, 7) if len(canonical) == 11 else (6, 14)
    return gap.join((canonical[:cuts[0]], canonical[cuts[0]:cuts[1]], canonical[cuts[1]:]))


@pytest.mark.parametrize(("text", "value"), [
    ("联系电话138\t1234\t5678后回访", "13812345678"),
    ("手机138·1234·5678", "13812345678"),
    ("手机１３８・１２３４・５６７８", "13812345678"),
    ("身份证110105·19491231·002X", "11010519491231002X"),
    ("身份证11010519491231002 X", "11010519491231002X"),
    ("身份证 110105 19491231 002 x 核实", "11010519491231002X"),
])
def test_a_number_with_tabs_or_middle_dots_is_found_and_masked(text, value):
    assert value in [f.canonical for f in detect(text) if f.confidence == "high"], detect(text)
    assert not any(f.confidence == "high" for f in detect(redact(text)))


@PROPERTY
@given(pair=st.one_of(MOBILES, IDS), gap=GAPS)
def test_any_number_with_tabs_or_middle_dots_is_refused_in_a_reason(city_app, pair, gap):
    canonical = pair[0]
    assert_refused_in_a_reason(city_app, canonical, f"来电人手机{grouped(canonical, gap)}要求撤回")


@pytest.mark.parametrize("text", ["买买提·艾力反映窗口态度", "车牌粤B·12345", "工作日 9·00 至 17·00", "第3·5条",
                                  "2024·03·04", "得分\t95\t88\t76"])
def test_middle_dots_and_tabs_elsewhere_read_as_before(text):
    high = [f for f in detect(text) if f.confidence == "high"]
    assert all(f.category == "plate" for f in high), (text, high)
