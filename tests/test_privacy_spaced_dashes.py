"""A dash with spaces around it between the groups of a number (138 - 1234 - 5678), as word processors
and careful typists write it, hides nothing: the number is found, refused in a withdrawal reason and
masked; ordinary ranges written so (9:00 - 17:00, 2024-03-04 - 2024-03-08) stay left alone."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from portal.privacy.detect import detect
from portal.privacy.redact import redact
from tests.privacy_strategies import IDS, LANDLINES, MOBILES, assert_refused_in_a_reason

PROPERTY = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
DASHES = st.sampled_from([" - ", " -", "- ", " – ", " — ", " － "])


def spaced(written: str, dash: str) -> str:
    """`written` with each dash between its groups spaced as `dash` (written without one: unchanged)."""
    return written.replace("-", dash)


@pytest.mark.parametrize(("text", "value"), [
    ("手机138 - 1234 - 5678", "13812345678"),
    ("手机 138 – 1234 – 5678 要求回复", "13812345678"),
    ("座机0571 - 88123456", "057188123456"),
    ("身份证110105 - 19491231 - 002X", "11010519491231002X"),
])
def test_a_number_with_spaced_dashes_is_found_and_masked(text, value):
    assert value in [f.canonical for f in detect(text) if f.confidence == "high"], detect(text)
    assert not any(f.confidence == "high" for f in detect(redact(text)))


@PROPERTY
@given(pair=st.one_of(MOBILES, LANDLINES, IDS), dash=DASHES)
def test_any_number_with_spaced_dashes_is_refused_in_a_reason(city_app, pair, dash):
    canonical, written = pair
    assume("-" in written)
    assert_refused_in_a_reason(city_app, canonical, f"来电人手机{spaced(written, dash)}要求撤回")


@pytest.mark.parametrize("text", ["工作日 9:00 - 17:00", "2024-03-04 - 2024-03-08", "2019 - 2023年", "第12 - 15条",
                                  "GB 50016 - 2014", "1 - 2个工作日", "12345 - 67890"])
def test_ranges_with_spaced_dashes_are_left_alone(text):
    assert [f for f in detect(text) if f.confidence == "high"] == [], text
