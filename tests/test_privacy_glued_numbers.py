"""A number glued to a Chinese numeral (李四13912345678, 13812345678一直无人接听) is still the number
as written: reading the numeral as one more digit must not hide it. Ordinary figures stay left alone."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.privacy.detect import detect
from portal.privacy.redact import redact
from tests.privacy_strategies import ORDINARY_NEIGHBOURS, ORDINARY_NUMBERS, PERSONAL, assert_refused_in_a_reason
from tests.test_privacy_reasons import api_client, revisions, staged_by_api
from tests.test_privacy_scope import desk  # noqa: F401

PROPERTY = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
# Chinese numerals as the words they are in names, times and counts: 张三, 李四, 周三, 一直, 两次, 十分.
NUMERAL_WORDS_BEFORE = st.sampled_from(["投诉人李四", "联系人张三", "已于周三", "王五", "第一", "统一", "共两"])
NUMERAL_WORDS_AFTER = st.sampled_from(["一直无人接听", "两次来电", "三天后回访", "九点前", "一张", "五一前"])


@pytest.mark.parametrize(("text", "value"), [
    ("投诉人李四13912345678反映", "13912345678"),
    ("13812345678一直无人接听", "13812345678"),
    ("已于周三13812345678回访", "13812345678"),
    ("身份证号码三11010519491231002X", "11010519491231002X"),
    ("卡号6222021234567890128一张", "6222021234567890128"),
    ("电话0571-88123456一次", "0571-88123456"),
])
def test_a_number_next_to_a_chinese_numeral_is_found_and_masked(text, value):
    assert value in [f.value for f in detect(text) if f.confidence == "high"], detect(text)
    assert value not in redact(text)


@PROPERTY
@given(pair=PERSONAL, before=NUMERAL_WORDS_BEFORE, after=NUMERAL_WORDS_AFTER)
def test_any_personal_number_between_numeral_words_is_refused_in_a_reason(city_app, pair, before, after):
    canonical, written = pair
    assert_refused_in_a_reason(city_app, canonical, f"{before}{written}{after}")




@PROPERTY
@given(st.one_of(ORDINARY_NUMBERS, ORDINARY_NEIGHBOURS), NUMERAL_WORDS_BEFORE, NUMERAL_WORDS_AFTER)
def test_ordinary_figures_between_numeral_words_are_left_alone(figures, before, after):
    text = f"{before}{figures}{after}"
    assert [f for f in detect(text) if f.confidence == "high"] == [], text


def test_the_api_refuses_a_withdrawal_reason_with_a_number_after_a_name(desk):
    client, auth = api_client(desk)
    upload_id = staged_by_api(client, auth)
    before = revisions(desk)
    refused = client.post(f"/api/v1/uploads/{upload_id}/publish", headers=auth,
                          data={"reason": "来电人李四13912345678要求撤回"})
    assert refused.status_code == 422
    assert "13912345678" not in str(refused.get_json())
    assert revisions(desk) == before


# --- A unit after a number (2030年, 5个) makes it a quantity, but no count has eleven digits -------

@pytest.mark.parametrize(("text", "value"), [
    ("13812345678次日回访", "13812345678"),
    ("手机13812345678号", "13812345678"),
    ("拨打13812345678人工服务未接通", "13812345678"),
    ("身份证110105194912310021号", "110105194912310021"),
    ("卡号6222021234567890128元", "6222021234567890128"),
])
def test_a_number_before_a_unit_is_found_and_masked(text, value):
    assert value in [f.value for f in detect(text) if f.confidence == "high"], detect(text)
    assert value not in redact(text)


UNITS_AFTER = st.sampled_from(["次日回访", "号", "人工服务", "元", "个工作日内回复", "年来多次反映"])


@PROPERTY
@given(pair=PERSONAL, after=UNITS_AFTER)
def test_any_personal_number_before_a_unit_is_refused_in_a_reason(city_app, pair, after):
    canonical, written = pair
    assert_refused_in_a_reason(city_app, canonical, f"来电号码{written}{after}")


@pytest.mark.parametrize("text", ["2019-2023年", "国发〔2024〕12号", "共1234567个", "2024-03-04-12个工作日",
                                  "处罚款12,345,678元", "1234567890元"])
def test_quantities_are_still_left_alone(text):
    assert [f for f in detect(text) if f.confidence == "high"] == [], text
