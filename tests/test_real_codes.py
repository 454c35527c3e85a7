"""Real item codes, item types, levels and missing legal bases, as departments really publish them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal import search
from portal.extensions import db
from portal.models import Department, PowerItem
from portal.publish.namespaces import HandOverRefused, hand_over
from portal.schemas import DEPARTMENTS, KINDS
from portal.schemas.codes import ItemCode, credit_code, parts
from portal.schemas.fields import FieldError
from tests.helpers import visible_text
from tests.realworld import account, add_departments, csv_file, department_row, power_row, upload

POWERS = KINDS["powers"]
# Codes as 四川政务服务网 publishes them for 广安区 (items of 区行政审批局, 区教科体局, 区市监局 …).
REAL_CODES = [
    "511A0141700000-511602000000-000-115113016823646795-1-00",
    "G-000007-001-511602000000-000-115113010833722043-1-00",
    "511Z07001006-511602000000-000-11511301008778183N-1-00",
    "512C0107400001-511602000000-000-00877868-5-1-00",
    "1J-5100-00027-511602000000-000-11511301008778386B-1-00",
    "A-005818-5818-511602000000-000-115113010087783353-1-00",
    "E-000004-001-11511301008778386B",
    "511A0141700000",  # a 基本编码 alone
    "510100000001",  # a 12-digit 职权编码
    "99010001FG-XK-0001",  # our own city code
]
APPROVAL = "115113016823646795"  # 广安区行政审批局's 统一社会信用代码
EDUCATION = "115113010833722043"  # 广安区教育科技和体育局's


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_accepted_exactly_as_written(code):
    assert ItemCode("code", "事项编码").parse(f"  {code} ") == code


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYabc-_ 事,", min_size=1, max_size=80))
def test_a_code_is_letters_digits_and_single_hyphens_of_at_most_64(text):
    field = ItemCode("code", "事项编码")
    stripped = text.strip()
    fine = (4 <= len(stripped) <= 64 and not any(c in stripped for c in " 事,")
            and not stripped.startswith(("-", "_")) and not stripped.endswith(("-", "_"))
            and "--" not in stripped and "__" not in stripped and "-_" not in stripped and "_-" not in stripped)
    try:
        result = field.parse(text)
    except FieldError:
        assert not fine
        return
    assert result == (stripped or None) and (fine or not stripped)


def test_a_national_code_names_its_parts():
    assert parts(REAL_CODES[1]) == {"基本编码": "G-000007-001", "区划": "511602000000", "业务办理项": "000",
                                     "统一社会信用代码": EDUCATION}
    assert parts(REAL_CODES[3])["实施主体编码"] == "00877868"  # an old 组织机构代码, kept as written
    assert credit_code(REAL_CODES[3]) is None
    assert parts("99010001FG-XK-0001") == {"主体码": "99010001FG", "类型码": "XK", "序号": "0001"}
    assert parts("511A0141700000") == {}


@pytest.fixture
def guangan(app):
    """Two 广安区 departments with their credit codes on record, a vertically managed one, and clerks."""
    with app.app_context():
        add_departments([
            department_row("51160231SP", "广安区行政审批局", credit=APPROVAL),
            department_row("51160202JK", "广安区教育科技和体育局", credit=f"{EDUCATION}、12511301452260997J"),
            department_row("51160226SW", "国家税务总局广安市广安区税务局", category="垂直管理部门",
                           credit="11511301MB1549994W"),
        ])
        for name, code in (("sp", "51160231SP"), ("jk", "51160202JK"), ("sw", "51160226SW")):
            account(name, code)
        account("office", admin=True)
        search.rebuild(db.session)  # an index to keep up to date from the first publish on
    # Outside the setup's app context: requests push their own (and pick their language).
    return app


def _publish(clerk, department, rows):
    return upload(account(clerk), department, "powers", csv_file("powers", rows))


def test_real_codes_publish_and_show_their_parts(guangan):
    with guangan.app_context():
        problems, revision = _publish("sp", "51160231SP", [
            power_row(REAL_CODES[0], "企业投资项目核准", "广安区行政审批局")])
        assert not problems and revision.added == 1
    client = guangan.test_client()
    page = client.get(f"/zh-hans/powers/{REAL_CODES[0]}/")
    assert page.status_code == 200
    text = visible_text(page.get_data(as_text=True))
    assert "基本编码 511A0141700000" in text and f"统一社会信用代码 {APPROVAL}" in text
    twin = client.get(f"/zh-hans/powers/{REAL_CODES[0]}.json").get_json()
    assert twin["code_parts"]["区划"] == "511602000000"
    found = client.get("/zh-hans/search.json", query_string={"q": "511A0141700000"}).get_json()
    assert [hit["code"] for hit in found["items"]] == [REAL_CODES[0]]


def test_a_department_cannot_take_codes_of_another_namespace(guangan):
    with guangan.app_context():
        # 区教科体局 tries the approval bureau's national code and a city code of the tax bureau.
        problems, _ = _publish("jk", "51160202JK", [
            power_row(REAL_CODES[0], "企业投资项目核准", "51160202JK"),
            power_row("51160226SW-XK-0001", "发票领用", "51160202JK"),
            power_row(REAL_CODES[1], "中职和本专科建档立卡特别资助项目", "51160202JK", "5")])
        messages = {p.row: p.message for p in problems}
        assert "统一社会信用代码属于广安区行政审批局（51160231SP）" in messages[2]
        assert "主体码属于国家税务总局广安市广安区税务局（51160226SW）" in messages[3]
        assert 4 not in messages  # its own credit code
        assert db.session.query(PowerItem).count() == 0


def test_other_codes_belong_to_their_first_publisher_until_the_office_hands_them_over(guangan):
    with guangan.app_context():
        assert _publish("jk", "51160202JK", [power_row("511A0138000000", "延缓入学审批", "51160202JK")])[1]
        problems, _ = _publish("sp", "51160231SP", [power_row("511A0138000000", "延缓入学审批", "51160231SP")])
        assert "已由其他部门（51160202JK）使用" in problems[0].message
        office, approval = account("office"), Department.by_code(db.session, "51160231SP")
        with pytest.raises(HandOverRefused, match="仍由广安区教育科技和体育局公开"):
            hand_over(db.session, office, POWERS, "511A0138000000", approval, "事项划转")
        db.session.rollback()
        # The owner withdraws it (publishes its list without it), then the office hands it over.
        assert _publish("jk", "51160202JK", [power_row("511A0138000001", "休学审批", "51160202JK")])[1]
        with pytest.raises(PermissionError):
            hand_over(db.session, account("jk"), POWERS, "511A0138000000", approval, "事项划转")
        hand_over(db.session, office, POWERS, "511A0138000000", approval, "根据机构改革方案划转")
        db.session.commit()
        problems, revision = _publish("sp", "51160231SP", [power_row("511A0138000000", "延缓入学审批",
                                                                     "51160231SP")])
        assert not problems and revision.added == 1
        item = db.session.query(PowerItem).filter_by(code="511A0138000000").one()
        assert item.department.code == "51160231SP" and item.withdrawn_at is None
        problems, _ = _publish("jk", "51160202JK", [power_row("511A0138000000", "延缓入学审批", "51160202JK")])
        assert "已由效能办移交给广安区行政审批局" in problems[0].message


def test_public_services_other_types_and_national_type_codes_publish_and_count(guangan):
    with guangan.app_context():
        problems, revision = _publish("jk", "51160202JK", [
            power_row(f"512B00533000{n:02d}-511602000000-000-{EDUCATION}-1-00", name, "51160202JK", kind)
            for n, (name, kind) in enumerate([("学前教育减免保教费查询", "20"), ("学生资助政策咨询", "公共服务"),
                                              ("教师资格认定", "1"), ("校外培训机构信息查询", "其他"),
                                              ("民办学校年检", "10")])])
        assert not problems, problems
    listing = guangan.test_client().get("/zh-hans/powers.json").get_json()
    assert dict((f["value"], f["count"]) for f in listing["facets"]["power_type"]) == {
        "行政许可": 1, "其他行政权力": 1, "公共服务": 2, "其他": 1}
    only = guangan.test_client().get("/zh-hans/powers.json", query_string={"power_type": "公共服务"}).get_json()
    assert only["total"] == 2


@pytest.mark.parametrize(("cell", "levels"), [
    ("省级,市级", ["省级", "市级"]), ("2,3", ["省级", "市级"]), ("市级、省级", ["省级", "市级"]),
    ("国家级", ["国家级"]), ("县级；乡镇级", ["区县级", "乡镇街道级"]), ("4", ["区县级"]), ("", None),
])
def test_levels_hold_several_values(cell, levels):
    assert POWERS.field("level").parse(cell) == levels


def test_an_unknown_level_is_named():
    with pytest.raises(FieldError, match="“部级”不是允许的值"):
        POWERS.field("level").parse("市级,部级")


def test_several_levels_and_a_missing_basis_show_on_the_pages(guangan):
    code = f"511A0138000000-511602000000-000-{EDUCATION}-1-00"
    with guangan.app_context():
        problems, _ = _publish("jk", "51160202JK", [
            power_row(code, "适龄儿童、少年因身体状况需要延缓入学或者休学审批", "51160202JK", 实施层级="2,3,4")])
        assert not problems
        assert db.session.query(PowerItem).one().record["level"] == ["省级", "市级", "区县级"]
    client = guangan.test_client()
    text = visible_text(client.get(f"/zh-hans/powers/{code}/").get_data(as_text=True))
    assert "实施层级 省级、市级、区县级" in text and "设定依据 未公布设定依据" in text
    assert "Basis not published" in visible_text(client.get(f"/en/powers/{code}/").get_data(as_text=True))
    department = visible_text(client.get("/zh-hans/departments/51160202JK/").get_data(as_text=True))
    assert "未公布设定依据 1 项" in department


def test_vertically_managed_agencies_are_departments_of_their_own_type(guangan):
    with guangan.app_context():
        problems, _ = _publish("sw", "51160226SW", [
            power_row("511A0000100000-511602000000-000-11511301MB1549994W-1-00", "增值税专用发票（增值税税控系统）最高开票限额审批",
                      "51160226SW")])
        assert not problems
    departments = guangan.test_client().get("/zh-hans/departments.json").get_json()
    tax = next(d for d in departments["items"] if d["code"] == "51160226SW")
    assert tax["category"] == "垂直管理部门" and tax["credit_codes"] == ["11511301MB1549994W"]
    page = visible_text(guangan.test_client().get("/en/departments/").get_data(as_text=True))
    assert "Vertically managed agencies" in page


def test_a_credit_code_must_look_like_one():
    validated = DEPARTMENTS.validate([(2, department_row("51160231SP", "广安区行政审批局", credit="12345"))], {})
    assert [p.column for p in validated.problems] == ["统一社会信用代码"]
