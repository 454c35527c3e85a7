"""An item code that holds a phone or ID number is refused on every upload path, naming its row,
in the uploader's language, with nothing stored; every real code and the whole sample city pass."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from stdnum.cn import uscc

from portal.extensions import db
from portal.ingest.readers import read
from portal.ingest.sheet import Sheet
from portal.models import PowerItem, Revision, StoredFile, Upload
from portal.privacy.numbers import PROVINCES, id_check_digit, luhn_digit
from portal.publish.content import load_directory
from portal.publish.plan import validate_sheet
from portal.schemas import POWERS, SERVICES
from tests.conftest import FIXTURE_CITY
from tests.desk_helpers import csv_bytes, log_in, read_csv, upload
from tests.helpers import visible_text
from tests.privacy_strategies import digits
from tests.test_loader import POWERS as POWERS_FILE
from tests.test_loader import edit_csv

PHONE = "13812345678"
ID_NUMBER = "110101199003074514"
REAL = Path(__file__).parent.parent.parent / "shared" / "realdata" / "guangan-bszl-data.js"
REFUSED = {
    "zh-hans": "编码中有疑似手机号码，编码会出现在网址、订阅和下载中，不能含个人信息",
    "zh-hant": "編碼中有疑似手機號碼，編碼會出現在網址、訂閱和下載中，不能含個人資訊",
    "en": "The code seems to hold personal data (Mobile phone number). Codes appear in web addresses",
}
PROPERTY = settings(max_examples=150, deadline=None, database=None)


def power_row(code: str) -> dict:
    return {"事项编码": code, "事项名称": "企业投资项目核准", "权力类型": "行政许可", "实施主体": "99010001FG"}


def problems_for(code: str, kind=POWERS) -> list:
    """The problems of a one-row sheet whose item code is `code`, as every upload path validates it."""
    sheet = Sheet(headers=list(power_row(code)), rows=[(2, power_row(code))])
    problems, records = validate_sheet(kind, sheet, {"99010001FG": "99010001FG"})
    assert not (problems and records)
    return problems


# --- The many spellings -----------------------------------------------------------------------

def _resident_id():
    born = st.dates(dt.date(1920, 1, 1), dt.date(2020, 12, 31))
    return st.tuples(st.sampled_from(sorted(PROVINCES)), digits(4), born, digits(3)).map(
        lambda t: t[0] + t[1] + t[2].strftime("%Y%m%d") + t[3]).map(lambda s: s + id_check_digit(s))


_MOBILE = st.tuples(st.sampled_from("3456789"), digits(9)).map(lambda t: "1" + t[0] + t[1])
_CARD = st.tuples(st.sampled_from(["62", "4", "5"]), st.integers(16, 19), digits(18)).map(
    lambda t: (t[0] + t[2])[: t[1] - 1]).map(lambda s: s + luhn_digit(s))


def _grouped(number: str, separator: str, cuts: list[int]) -> str:
    """`number` cut at `cuts` (positions inside it) and joined again by `separator`."""
    bounds = [0, *sorted(set(c for c in cuts if 0 < c < len(number))), len(number)]
    return separator.join(number[a:b] for a, b in zip(bounds, bounds[1:]))


def _around(number: str):
    """A number as a code on its own, a segment of a city code or of a 实施编码, or behind letters."""
    return st.sampled_from([
        "{}", "99010001FG-XK-{}", "FG-{}", "{}-1-00", "511A0141700000-511602000000-000-{}-1-00",
    ]).map(lambda shape: shape.format(number))


def _spelled(numbers, low: int, high: int):
    return st.tuples(numbers, st.sampled_from(["", "-", "_"]), st.lists(st.integers(low, high), max_size=2)).map(
        lambda t: _grouped(t[0], t[1], t[2])).flatmap(_around)


@PROPERTY
@given(_spelled(_MOBILE, 3, 7))
def test_a_mobile_number_in_a_code_is_refused_however_written(city_app, code):
    with city_app.test_request_context("/zh-hans/"):
        [problem] = problems_for(code)
    assert (problem.row, problem.column) == (2, "事项编码") and "手机号码" in problem.message
    assert PHONE not in problem.message and code not in problem.message


@PROPERTY
@given(st.one_of(_resident_id(), _resident_id().map(lambda n: n[:17] + n[17].lower()))
       .flatmap(lambda n: st.tuples(st.just(n), st.sampled_from(["", "-", "_"]))
                .map(lambda t: _grouped(t[0], t[1], [6, 14])))
       .flatmap(lambda n: st.sampled_from(["{}", "A{}", "{}-1-00", "99010001FG-XK-{}"]).map(lambda s: s.format(n))))
def test_an_id_number_in_a_code_is_refused_however_written(city_app, code):
    with city_app.test_request_context("/zh-hans/"):
        [problem] = problems_for(code)
    assert problem.row == 2 and "身份证号码" in problem.message


@PROPERTY
@given(_CARD.flatmap(lambda n: st.sampled_from(["{}", "XK-{}"]).map(lambda s: s.format(n))))
def test_a_card_number_standing_alone_in_a_code_is_refused(city_app, code):
    with city_app.test_request_context("/zh-hans/"):
        [problem] = problems_for(code)
    assert "银行卡号" in problem.message


@PROPERTY
@given(st.tuples(st.sampled_from(["99010001FG", "62052400MZ", "99010000"]), st.sampled_from(["XK", "CF", "QT"]),
                 st.integers(1, 999999)).map(lambda t: f"{t[0]}-{t[1]}-{t[2]:04d}"))
def test_city_codes_pass(city_app, code):
    with city_app.test_request_context("/zh-hans/"):
        assert problems_for(code) == []


def test_a_power_code_of_a_service_is_screened_too(city_app):
    path = FIXTURE_CITY / "disclosures" / "99010001FG" / "services.yaml"
    with city_app.test_request_context("/zh-hans/"):
        sheet = read(path.name, path.read_bytes(), SERVICES)
        number, first = sheet.rows[0]
        first["关联权力事项编码"] = f"{PHONE[:3]}-{PHONE[3:7]}-{PHONE[7:]}"
        problems, records = validate_sheet(SERVICES, sheet, {"99010001FG": "99010001FG"})
    assert records == [] and [(p.row, p.column) for p in problems] == [(number, "关联权力事项编码")]


def test_every_real_code_of_the_district_passes(city_app):
    codes = sorted(set(re.findall(r"itemCode=([0-9A-Za-z_-]+)", REAL.read_text(encoding="utf-8"))))
    assert len(codes) > 1000
    with city_app.test_request_context("/zh-hans/"):
        refused = [code for code in codes if problems_for(code)]
    assert refused == []


# 行政区划代码 down to a village (GB/T 2260 county, then 乡镇 001–299 and 村/社区 001–399), as the
# 实施编码 of a village's or community's service point carry it.
_VILLAGE_REGION = st.tuples(st.sampled_from(["511602", "110105", "440305", "320106"]),
                            st.integers(1, 299), st.integers(1, 399)).map(lambda t: f"{t[0]}{t[1]:03d}{t[2]:03d}")


@PROPERTY
@given(_VILLAGE_REGION, st.sampled_from(["000", "001", "002"]))
def test_a_national_code_of_a_village_passes(city_app, region, item):
    # 511A0141700000-511602101215-000-…: the region and 业务办理项 are 15 digits, as an old ID is.
    code = f"511A0141700000-{region}-{item}-115113016823646795-1-00"
    with city_app.test_request_context("/zh-hans/"):
        assert problems_for(code) == []


def test_a_mobile_number_whose_groups_also_read_as_a_landline_is_named_a_mobile_number(city_app):
    # 01020000-1-00 reads as a Beijing landline with an extension; the segments 130-01020000 are a mobile.
    with city_app.test_request_context("/zh-hans/"):
        [problem] = problems_for("511A0141700000-511602000000-000-130-01020000-1-00")
    assert "手机号码" in problem.message


def test_a_mobile_number_cut_anyhow_in_a_village_code_is_still_refused(city_app):
    with city_app.test_request_context("/zh-hans/"):
        [problem] = problems_for(f"511A0141700000-511602101215-000-{PHONE[:2]}-{PHONE[2:]}-1-00")
    assert "手机号码" in problem.message


def _digit_credit_code():
    """A 统一社会信用代码 of digits (GB 32100, its check digit right) whose 登记管理机关 and region
    begin like an ID's province and county and whose 组织机构代码 begins with a date, as a county
    numbered …19 gives it: 11 + 120119 + 661123235 reads as an ID of 111201, born 1966-11-23."""
    born = st.dates(dt.date(1920, 1, 1), dt.date(1999, 12, 31)).map(lambda d: d.strftime("%y%m%d"))
    return st.tuples(st.sampled_from(["11", "12", "13", "21", "31", "51", "52", "53"]),
                     st.sampled_from(["120119", "110119", "510119", "320119"]), born, digits(3)).map(
        lambda t: "".join(t)).map(lambda s: s + uscc.calc_check_digit(s))


@pytest.mark.parametrize("credit", ["11120119661123235X", "311201193109275499", "113201196006076585"])
def test_a_departments_credit_code_that_reads_as_an_id_number_passes(city_app, credit):
    with city_app.test_request_context("/zh-hans/"):
        assert problems_for(f"511A0141700000-511602000000-000-{credit}-1-00") == []


@PROPERTY
@given(_digit_credit_code())
def test_every_credit_code_of_digits_passes_in_a_national_code(city_app, credit):
    with city_app.test_request_context("/zh-hans/"):
        assert problems_for(f"511A0141700000-511602000000-000-{credit}-1-00") == []


def test_an_id_number_where_the_credit_code_goes_is_still_refused(city_app):
    # Its check digit is the ID's, not the credit code's: it is not taken for one.
    with city_app.test_request_context("/zh-hans/"):
        [problem] = problems_for(f"511A0141700000-511602000000-000-{ID_NUMBER}-1-00")
    assert "身份证号码" in problem.message


# --- What an uploader sees, and what is stored ---------------------------------------------------


def powers_with_code(code: str) -> bytes:
    headers, rows = read_csv(FIXTURE_CITY / POWERS_FILE)
    rows[1]["事项编码"] = code
    return csv_bytes(headers, rows)


def stored(app) -> tuple[int, int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Upload, StoredFile, Revision, PowerItem))


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "en"])
def test_the_desk_refuses_a_phone_number_as_a_code_in_the_uploaders_language(desk, lang):
    before = stored(desk)
    client = desk.test_client()
    log_in(client, "fg", lang=lang)
    response = upload(client, powers_with_code(PHONE), lang=lang)
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert REFUSED[lang] in text
    assert re.search(r"\b3 (事项编码|事項編碼|Item code)\b", text), text
    assert PHONE not in text
    assert stored(desk) == before


def test_the_api_refuses_an_id_number_as_a_code(desk):
    secret = desk.test_cli_runner().invoke(args=["users", "token", "fg"]).output.strip()
    before = stored(desk)
    response = desk.test_client().post("/api/v1/uploads", headers={"Authorization": f"Bearer {secret}"}, data={
        "kind": "powers", "department": "99010001FG",
        "file": (io.BytesIO(powers_with_code(ID_NUMBER)), "powers.csv")})
    assert response.status_code == 422
    [problem] = response.get_json()["errors"]
    assert problem["row"] == 3 and problem["column"] == "事项编码" and "身份证号码" in problem["message"]
    assert ID_NUMBER not in response.get_data(as_text=True)
    assert stored(desk) == before


def test_the_content_loader_refuses_a_phone_number_as_a_code(app, city_copy):
    def phone_code(_headers, rows):
        rows[0]["事项编码"] = PHONE
    edit_csv(city_copy / POWERS_FILE, phone_code)
    with app.app_context():
        report = load_directory(db.session, city_copy)
        [refused] = [f for f in report.files if f.path.endswith("FG/powers.csv")]
        assert [(p.row, p.column) for p in refused.problems if "手机号码" in p.message] == [(2, "事项编码")]
        assert db.session.scalar(select(func.count()).select_from(PowerItem)) == 0
