"""Real 办事指南 and 服务承诺 as departments write them, through the desk's upload path.

The items are 广安区's own (codes and names from ../shared/realdata); their guides carry
what real guides of 四川政务服务网 say: limits of 15 working days with an expert review
counted apart (建设工程消防设计审查验收管理暂行规定第十九条), 即办, 无法定时限, months;
several 服务对象 as national codes; 联办件; materials 纸质 with counts of originals and
copies; 免费; 网办深度; several phone numbers; steps with their review standard.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from hypothesis import given, strategies as st
from sqlalchemy import select

from portal.extensions import db
from portal.models import Commitment, PowerItem, ServiceGuide
from portal.schemas.commitments import compression
from portal.workdays import working_days
from portal.publish.content import load_directory
from tests.conftest import make_app
from tests.test_migrations import sqlite_only
from tests.desk_helpers import csrf_token, log_in, make_user, upload as desk_upload
from tests.helpers import visible_text
from tests.realworld import account, csv_file, upload
from tests.test_real_list import MAPPING

ZJ = "51160219ZJ"  # 区住建局, 统一社会信用代码 11511301008778255F
FIRE = "511A17023002-511602000000-000-11511301008778255F-1-00"  # 特殊建设工程消防设计审查
SEWAGE = "511A0148600000-511602000000-000-11511301008778255F-1-00"  # 城镇污水排入排水管网许可
PERMIT = "511A0126300000-511602000000-000-11511301008778255F-1-00"  # 建筑工程施工许可证核发


def step(id_, kind, name, days="", next_="", **more) -> dict:
    return {"环节编号": id_, "环节类型": kind, "环节名称": name, "办理时限": days, "下一环节": next_, **more}


FIRE_FLOW = [
    step("S1", "开始", "申请", "", "S2", 承办岗位="建设单位"),
    step("S2", "办理", "受理", "1", "S3", 承办岗位="综合窗口",
         办理内容="对申请材料进行形式审查,材料齐全、符合法定形式的予以受理",
         审查标准="《建设工程消防设计审查验收管理暂行规定》第十六条规定的材料齐全", 环节结果="受理通知书"),
    step("S3", "办理", "技术审查", "8", "S4", 承办岗位="消防审查科"),
    step("S4", "办理", "专家评审", "20", "S5", 特别程序="专家评审",
         办理内容="具有《暂行规定》第十七条情形的,组织专家评审"),
    step("S5", "判断", "审查决定", "1", "合格:E1;不合格:E2", 承办岗位="分管负责人"),
    step("E1", "结束", "出具特殊建设工程消防设计审查意见书", 环节结果="审查合格意见书"),
    step("E2", "结束", "出具不合格意见并说明理由"),
]


def guide(code: str, name: str, flow: list[dict] | None = None, **more) -> dict:
    """A 办事指南 row as 区住建局 writes it (tables as JSON cells, as the CSV template has them)."""
    row = {
        "事项编码": code, "事项名称": name, "实施主体": "区住建局",
        "服务对象": "2,3", "办件类型": "承诺件",
        "受理条件": "建设单位申请特殊建设工程消防设计审查,应当提交消防设计文件等材料",
        "申请材料": json.dumps([
            {"材料名称": "特殊建设工程消防设计审查申请表", "必要性": "必要", "材料形式": "纸质",
             "材料类型": "原件", "原件份数": "1", "复印件份数": "0"},
            {"材料名称": "消防设计文件", "必要性": "必要", "材料形式": "纸质、电子",
             "材料类型": "原件和复印件", "原件份数": "1", "复印件份数": "2"},
            {"材料名称": "依法需要批准的临时性建筑的批准文件", "必要性": "非必要", "材料形式": "电子",
             "材料类型": "复印件", "原件份数": "0", "复印件份数": "1"},
        ], ensure_ascii=False),
        "办理地点": "广安区政务服务中心二楼住建窗口", "办理时间": "工作日 9:00-12:00,13:30-17:00",
        "到办事现场次数": "1", "是否收费": "免费",
        "咨询电话": "0826-2333092、0826-2338165", "监督投诉电话": "0826-2333067;12345",
        "网办深度": "四级",
        "办理流程": json.dumps(flow or FIRE_FLOW, ensure_ascii=False),
    }
    row.update(more)
    return row


def promise(code: str, name: str, statutory: str, committed: str, **more) -> dict:
    return {"事项编码": code, "事项名称": name, "实施主体": "区住建局", "法定办结时限": statutory,
            "承诺办结时限": committed, "承诺内容": "一次性告知,限时办结", "服务窗口": "广安区政务服务中心二楼",
            "生效日期": "2024-01-01", **more}


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("guides"))
    with app.app_context():
        assert load_directory(db.session, MAPPING).ok
        clerk = account("zjclerk", ZJ)
        problems, _ = upload(clerk, ZJ, "services", csv_file("services", [
            guide(FIRE, "特殊建设工程消防设计审查"),
            guide(SEWAGE, "城镇污水排入排水管网许可", flow=[
                step("S1", "开始", "申请并受理", "1", "E1"), step("E1", "结束", "核发许可证", "19")],
                服务对象="1、2、9", 办件类型="联办件", 网办深度="",
                是否网办="是", 是否收费="不收费"),
            guide(PERMIT, "建筑工程施工许可证核发", 服务对象="企业法人", 网办深度="三级", 是否收费="不收费",
                  常见问题=json.dumps([{"问题": "施工许可证可以网上申请吗?",
                                    "解答": "可以,登录四川政务服务网在线申报。"}], ensure_ascii=False),
                  收费项目="", 办理结果名称="建筑工程施工许可证", 办理结果类型="证照",
                  网上办理地址="https://www.sczwfw.gov.cn/", 通办范围="全市", 物流快递="支持免费邮寄",
                  行政复议="可在六十日内向广安区人民政府申请行政复议"),
        ]))
        assert problems == []
        problems, _ = upload(clerk, ZJ, "commitments", csv_file("commitments", [
            promise(FIRE, "特殊建设工程消防设计审查", "15个工作日", "10",
                    法定时限说明="需要专家评审的,专家评审时间不计算在审查时限内,不超过二十个工作日"),
            promise(SEWAGE, "城镇污水排入排水管网许可", "1个月", "即办"),
            promise(PERMIT, "建筑工程施工许可证核发", "无法定时限", "3个自然日"),
        ]))
        assert problems == []
    return app


def test_an_expert_review_is_not_counted_against_the_statutory_limit(district):
    page = visible_text(district.test_client().get(f"/zh-hans/services/{FIRE}/").get_data(as_text=True))
    assert "特别程序：专家评审，其时限不计入法定办结时限" in page
    assert "各环节时限合计 10 个工作日" in page and "特别程序另需 20 个工作日" in page
    assert "审查标准：《建设工程消防设计审查验收管理暂行规定》第十六条规定的材料齐全" in page
    assert "环节结果：受理通知书" in page


def test_the_same_flow_counted_whole_would_exceed_the_limit(district):
    counted = [dict(s, 特别程序="") for s in FIRE_FLOW]
    with district.app_context():
        problems, _ = upload(account("zjclerk", ZJ), ZJ, "services", csv_file("services", [
            guide(FIRE, "特殊建设工程消防设计审查", flow=counted)]))
    assert [p.message for p in problems] == [
        "主路径到环节 S4(专家评审) 累计 29 个工作日，超过法定办结时限 15 个工作日"]


def test_limits_as_written_and_compression_only_where_it_means_something(district):
    client = district.test_client()
    rows = {r["code"]: r for r in client.get("/zh-hans/commitments.json").get_json()["items"]}
    assert rows[FIRE]["statutory_days"] == 15 and rows[FIRE]["committed_days"] == 10
    assert rows[FIRE]["compression"] == pytest.approx(1 / 3, abs=1e-4)
    assert rows[SEWAGE]["statutory_days"] == {"amount": 1, "unit": "个月"}
    assert rows[SEWAGE]["committed_days"] == 0 and rows[SEWAGE]["compression"] == 1
    assert rows[PERMIT]["statutory_days"] is None and rows[PERMIT]["compression"] is None
    page = visible_text(client.get(f"/zh-hans/commitments/{PERMIT}/").get_data(as_text=True))
    assert "无法定时限" in page and "3 个自然日" in page and "压缩比例" not in page
    page = visible_text(client.get(f"/zh-hans/commitments/{SEWAGE}/").get_data(as_text=True))
    assert "1 个月" in page and "即办" in page
    page = visible_text(client.get(f"/zh-hans/commitments/{FIRE}/").get_data(as_text=True))
    assert "需要专家评审的,专家评审时间不计算在审查时限内" in page


def test_national_vocabularies(district):
    client = district.test_client()
    rows = {r["code"]: r for r in client.get("/zh-hans/services.json").get_json()["items"]}
    assert rows[FIRE]["service_object"] == ["企业法人", "事业法人"]
    assert rows[SEWAGE]["service_object"] == ["自然人", "企业法人", "其他组织"]
    assert rows[SEWAGE]["case_type"] == "联办件"
    found = client.get("/zh-hans/services.json?service_object=企业法人").get_json()
    assert found["total"] == 3
    assert client.get("/zh-hans/services.json?service_object=其他组织").get_json()["total"] == 1
    assert {f["value"]: f["count"] for f in found["facets"]["service_object"]}["事业法人"] == 1
    record = client.get(f"/zh-hans/services/{FIRE}.json").get_json()["record"]
    assert [m["necessity"] for m in record["materials"]] == ["必要", "必要", "非必要"]
    assert [m["form"] for m in record["materials"]] == ["纸质", "纸质和电子", "电子"]
    assert record["fee"] is False and record["online_depth"] == "四级" and record["online"] is None
    assert record["consult_phone"] == "0826-2333092、0826-2338165"
    page = visible_text(client.get(f"/zh-hans/services/{FIRE}/").get_data(as_text=True))
    assert "共需原件 2 份、复印件 3 份" in page and "网办深度 四级" in page


def test_materials_cells_are_labelled_for_phones(district):
    html = district.test_client().get(f"/zh-hans/services/{FIRE}/").get_data(as_text=True)
    assert 'data-label="原件份数">1</td>' in html and 'data-label="材料类型">原件和复印件</td>' in html


def test_optional_guide_fields_show_only_when_given(district):
    client = district.test_client()
    page = visible_text(client.get(f"/zh-hans/services/{PERMIT}/").get_data(as_text=True))
    for text in ("常见问题", "施工许可证可以网上申请吗?", "可以,登录四川政务服务网在线申报。", "办理结果名称",
                 "建筑工程施工许可证", "通办范围", "物流快递", "支持免费邮寄", "行政复议"):
        assert text in page
    assert "中介服务" not in page and "收费项目" not in page
    bare = visible_text(client.get(f"/zh-hans/services/{SEWAGE}/").get_data(as_text=True))
    assert "更多办事信息" not in bare and "常见问题" not in bare


def test_a_promise_the_flow_contradicts_is_flagged_in_preview_and_on_the_page(district):
    make_user(district, "zjweb", ZJ)
    client = district.test_client()
    log_in(client, "zjweb")
    with district.app_context():
        rows = [promise(FIRE, "特殊建设工程消防设计审查", "15", "5"),
                promise(SEWAGE, "城镇污水排入排水管网许可", "1个月", "即办"),
                promise(PERMIT, "建筑工程施工许可证核发", "无法定时限", "3个自然日")]
        data = csv_file("commitments", rows)
    answer = desk_upload(client, data, "commitments.csv", "commitments", ZJ)
    preview = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"{FIRE} 办理流程各环节时限合计 10 个工作日，超过承诺办结时限 5个工作日" in visible_text(preview)
    # The flow of 城镇污水排入排水管网许可 takes 20 working days and promises 即办: flagged too.
    assert "超过承诺办结时限 即办" in visible_text(preview)
    form = {"csrf_token": csrf_token(preview), "based_on": re.search(r'name="based_on"[^>]*value="([^"]*)"',
                                                                      preview)[1]}
    assert client.post(answer.headers["Location"] + "/publish", data=form).status_code == 302
    page = visible_text(client.get(f"/zh-hans/services/{FIRE}/").get_data(as_text=True))
    assert "办理流程各环节时限合计 10 个工作日，超过承诺办结时限 5 个工作日" in page
    page = visible_text(client.get(f"/zh-hans/commitments/{FIRE}/").get_data(as_text=True))
    assert "超过承诺办结时限 5 个工作日" in page


def test_withdrawing_a_guide_a_commitment_names_is_refused(district):
    with district.app_context():
        problems, _ = upload(account("zjclerk", ZJ), ZJ, "services", csv_file("services", [
            guide(FIRE, "特殊建设工程消防设计审查"), guide(PERMIT, "建筑工程施工许可证核发")]))
        assert [p.message for p in problems] == [
            f"“{SEWAGE}”不在文件中，将被撤回，但仍有服务承诺引用它：{SEWAGE}《城镇污水排入排水管网许可》。"
            "请先撤回或修改这些服务承诺，或在文件中保留该事项"]
        assert db.session.scalars(select(ServiceGuide.withdrawn_at).where(ServiceGuide.code == SEWAGE)).one() is None


@pytest.mark.parametrize("statutory, committed, message", [
    ("20个工作日", "即时办结", None),
    ("三十日", "5", "时限应写成"),
    ("5", "30个自然日", "承诺办结时限不能长于法定办结时限"),
    ("30个自然日", "22", None),  # 30 calendar days may hold 22 working days
    ("30个自然日", "23", "承诺办结时限不能长于法定办结时限"),
    ("20", "无法定时限", "时限应写成"),
])
def test_limits_refused_only_when_they_cannot_be_right(district, statutory, committed, message):
    from portal.schemas import KINDS
    with district.app_context():
        validated = KINDS["commitments"].validate(
            [(2, promise(FIRE, "特殊建设工程消防设计审查", statutory, committed))], {"区住建局": ZJ})
    found = [p.message for p in validated.problems]
    assert (found == []) if message is None else any(message in m for m in found), found


def test_the_commitment_columns_are_working_days(district):
    with district.app_context():
        rows = dict(db.session.execute(select(Commitment.code, Commitment.statutory_workdays)).all())
    assert rows[FIRE] == 15 and rows[SEWAGE] == 20 and rows[PERMIT] is None


def _preview_of(client, rows):
    with client.application.app_context():
        data = csv_file("powers", rows)
    answer = desk_upload(client, data, "powers.csv", "powers", ZJ)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return answer.headers["Location"], client.get(answer.headers["Location"]).get_data(as_text=True)


def test_a_code_reused_for_another_item_is_confirmed_before_it_publishes(district):
    from tests.realworld import power_row
    make_user(district, "zjpowers", ZJ)
    client = district.test_client()
    log_in(client, "zjpowers")
    first = [power_row(FIRE, "特殊建设工程消防设计审查", ZJ), power_row(PERMIT, "建筑工程施工许可证核发", ZJ)]
    location, preview = _preview_of(client, first)
    form = {"csrf_token": csrf_token(preview),
            "based_on": re.search(r'name="based_on"[^>]*value="([^"]*)"', preview)[1]}
    assert client.post(location + "/publish", data=form).status_code == 302
    # A small change of name is no warning; a wholly different name is.
    second = [power_row(FIRE, "特殊建设工程消防设计审查(含变更)", ZJ),
              power_row(PERMIT, "城镇污水排入排水管网许可", ZJ)]
    location, preview = _preview_of(client, second)
    text = visible_text(preview)
    assert f"编码 {PERMIT} 原为《建筑工程施工许可证核发》，现为《城镇污水排入排水管网许可》" in text
    assert "原为《特殊建设工程消防设计审查》" not in text
    form = {"csrf_token": csrf_token(preview),
            "based_on": re.search(r'name="based_on"[^>]*value="([^"]*)"', preview)[1]}
    refused = client.post(location + "/publish", data=form, follow_redirects=True)
    assert "有编码的名称完全改变：请核对后勾选确认，再发布" in visible_text(refused.get_data(as_text=True))
    with district.app_context():
        assert db.session.scalar(select(PowerItem.title).where(PowerItem.code == PERMIT)) == "建筑工程施工许可证核发"
    assert client.post(location + "/publish", data={**form, "confirm_renamed": "y"}).status_code == 302
    with district.app_context():
        assert db.session.scalar(select(PowerItem.title).where(PowerItem.code == PERMIT)) == "城镇污水排入排水管网许可"


@given(committed=st.integers(0, 40), calendar=st.integers(1, 120), start=st.dates(dt.date(2024, 1, 1),
                                                                                     dt.date(2027, 12, 31)))
def test_compression_across_units_is_never_overstated(committed, calendar, start):
    # Whatever day a 自然日 limit starts, the working days it holds give at least this compression.
    statutory = {"amount": calendar, "unit": "自然日"}
    share = compression(statutory, committed)
    held = working_days(start, start + dt.timedelta(days=calendar))
    if held and share is not None:
        assert share <= max(0.0, 1 - committed / held) + 1e-9


@sqlite_only
def test_an_existing_database_is_taken_forward(tmp_path):
    # A database from before the migrations: one guide 法人, one commitment of 20 and 5 working days.
    from tests.test_migrations import BEFORE_MIGRATIONS, fresh_app
    (tmp_path / "portal.sqlite3").write_bytes(BEFORE_MIGRATIONS.read_bytes())
    app = fresh_app(tmp_path)
    assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        guide = db.session.scalars(select(ServiceGuide)).one()
        promise = db.session.scalars(select(Commitment)).one()
        assert (guide.service_object, guide.record["service_object"]) == ("|法人|", ["法人"])
        assert (promise.statutory_workdays, promise.committed_workdays) == (20, 5)
    client = app.test_client()
    assert client.get("/zh-hans/services.json?service_object=法人").get_json()["total"] == 1
    row = client.get("/zh-hans/commitments.json").get_json()["items"][0]
    assert (row["statutory_days"], row["committed_days"], row["compression"]) == (20, 5, 0.75)


def test_the_change_log_says_limits_as_written(district):
    from portal.catalog.describe import display
    from portal.schemas import KINDS
    limit = KINDS["commitments"].field("statutory_days")
    with district.test_request_context():
        assert [display(limit, v) for v in ({"amount": 1, "unit": "个月"}, None, 0, 15)] == [
            "1个月", "无法定时限", "即办", "15个工作日"]
