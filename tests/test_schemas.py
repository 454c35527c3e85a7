"""The declarations: one place decides what every cell means."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.schemas import KINDS
from portal.schemas.fields import Boolean, Date, Decimal, Field, FieldError, Integer, Table, clean_text
from portal.workdays import working_days


@pytest.mark.parametrize(
    ("raw", "value"),
    [("2024-03-04", "2024-03-04"), ("2024/3/4", "2024-03-04"), ("2024年3月4日", "2024-03-04"),
     ("2024-03-04 00:00:00", "2024-03-04"), ("２０２４-０３-０４", "2024-03-04")],
)
def test_dates_in_the_spellings_spreadsheets_produce(raw, value):
    assert Date("d", "日期").parse(raw) == value


@pytest.mark.parametrize("raw", ["04/03/2024", "昨天", "2024-3"])
def test_ambiguous_dates_are_refused(raw):
    with pytest.raises(FieldError, match="日期格式应为 YYYY-MM-DD"):
        Date("d", "日期").parse(raw)


@pytest.mark.parametrize("raw", ["2024-02-30", "2023-02-29", "2024-13-01", "2024年4月31日"])
def test_days_not_on_the_calendar_are_refused_as_such(raw):
    with pytest.raises(FieldError, match=f"日期不存在:“{raw}”,请核对年、月、日"):
        Date("d", "日期").parse(raw)


def test_integers_accept_excel_floats_and_full_width_digits():
    field = Integer("n", "份数", maximum=99)
    assert field.parse("3.0") == 3
    assert field.parse("１２") == 12
    with pytest.raises(FieldError):
        field.parse("3.5")
    with pytest.raises(FieldError, match="应在 0 到 99 之间"):
        field.parse("100")


def test_decimals_round_and_stay_json_plain():
    field = Decimal("s", "得分", maximum=100, places=1)
    assert field.parse("37.04") == 37.0 and isinstance(field.parse("37"), int)
    with pytest.raises(FieldError):
        field.parse("1e3")


def test_booleans():
    field = Boolean("b", "是否收费", required=True)
    assert field.parse("是") is True and field.parse("否") is False and field.parse("Y") is True
    with pytest.raises(FieldError, match="必填项不能为空"):
        field.parse("")


@pytest.mark.parametrize("raw", ["正常\x00文本", "右\u202e至左", "响铃\x07"])
def test_control_and_bidi_characters_are_refused(raw):
    with pytest.raises(FieldError, match="控制字符"):
        clean_text(raw)


def test_tables_name_the_inner_row_and_column():
    table = Table("t", "表", columns=(Field("name", "名称", required=True), Integer("n", "份数")))
    assert table.parse([{"名称": "甲", "份数": "1"}]) == [{"name": "甲", "n": 1}]
    with pytest.raises(FieldError, match="第 2 行“份数”"):
        table.parse([{"名称": "甲"}, {"名称": "乙", "份数": "x"}])
    with pytest.raises(FieldError, match="未知列"):
        table.parse([{"名称": "甲", "颜色": "红"}])


def test_every_kind_has_unique_labels_and_names():
    for kind in KINDS.values():
        assert len(set(kind.headers)) == len(kind.headers), kind.name
        assert len({f.name for f in kind.fields}) == len(kind.fields), kind.name
        assert any(f.name == "department" for f in kind.fields), kind.name


def test_rules_across_fields():
    commitments = KINDS["commitments"]
    row = {"事项编码": "99010001FG-FW-0001", "事项名称": "甲", "实施主体": "D", "法定办结时限": "5",
           "承诺办结时限": "9", "承诺内容": "限时办结", "服务窗口": "1号", "生效日期": "2024-01-01"}
    result = commitments.validate([(2, row)], {"D": "D"})
    assert [(p.row, p.column) for p in result.problems] == [(2, "承诺办结时限")]
    assert "不能长于法定办结时限" in result.problems[0].message


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [("2024-03-04", "2024-03-04", 0), ("2024-03-04", "2024-03-05", 1),  # Mon → Tue
     ("2024-03-08", "2024-03-11", 1),  # Fri → Mon
     ("2024-03-04", "2024-03-18", 10), ("2024-03-04", "2024-03-19", 11)],
)
def test_working_days(start, end, days):
    assert working_days(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == days
