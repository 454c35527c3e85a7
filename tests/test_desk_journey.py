"""A department clerk's way through the desk, as they meet it: templates, reports, preview, publish."""

from __future__ import annotations

from sqlalchemy import func, select

from portal import publish
from portal.extensions import db
from portal.models import ComplaintCase, Department, Revision, Upload
from portal.schemas import KINDS
from tests.conftest import FIXTURE_CITY
from tests.desk_helpers import csrf_token, csv_bytes, log_in, read_csv, upload
from tests.helpers import visible_text
from tests.test_accounts import desk  # noqa: F401  (the fixture city, fg of 99010001FG and an administrator)

POWERS = FIXTURE_CITY / "disclosures/99010001FG/powers.csv"
DEFAULT_REASON = "The department left this item out of its latest list"


def test_the_csv_template_names_its_encoding_once(desk):
    client = desk.test_client()
    log_in(client, "fg")
    response = client.get("/zh-hans/desk/templates/powers.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_withdrawal_without_a_reason_reads_in_english_wherever_it_is_shown(desk):
    client = desk.test_client()
    log_in(client, "fg", lang="en")
    headers, rows = read_csv(POWERS)
    rows = [r for r in rows if r["事项编码"] != "99010001FG-CF-0001"]
    preview = client.get(upload(client, csv_bytes(headers, rows), lang="en").headers["Location"])
    published = client.post(preview.request.path + "/publish",
                            data={"csrf_token": csrf_token(preview.get_data(as_text=True)), "reason": ""})
    assert published.status_code == 302
    desk_page = visible_text(client.get(published.headers["Location"]).get_data(as_text=True))
    home = visible_text(desk.test_client().get("/en/").get_data(as_text=True))
    for text in (desk_page, home):
        assert DEFAULT_REASON in text
        assert "发布单位在新版清单中删除了该事项" not in text
    chinese = visible_text(desk.test_client().get("/zh-hans/").get_data(as_text=True))
    assert "发布单位在新版清单中删除了该事项" in chinese


def test_a_power_a_live_guide_is_done_under_is_not_withdrawn(desk):
    client = desk.test_client()
    log_in(client, "fg")
    headers, rows = read_csv(POWERS)
    rows = [r for r in rows if r["事项编码"] != "99010001FG-XK-0001"]
    response = upload(client, csv_bytes(headers, rows))
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert ("“99010001FG-XK-0001”不在文件中，将被撤回，但仍有办事指南以它为关联权力事项："
            "99010001FG-FW-0001《企业投资项目核准》。请先修改或撤回这些办事指南，或在文件中保留该事项") in text
    assert "已撤回" not in visible_text(client.get("/zh-hans/powers/99010001FG-XK-0001/").get_data(as_text=True))


def test_a_refused_hand_over_names_the_department_in_the_pages_language(desk):
    client = desk.test_client()
    log_in(client, "boss", lang="en")
    page = client.get("/en/desk/codes/hand-over").get_data(as_text=True)
    answer = client.post("/en/desk/codes/hand-over", data={
        "csrf_token": csrf_token(page), "kind": "powers", "code": "99010001FG-XK-0001",
        "department": "99010002MZ", "reason": "机构改革后事项划转"})
    assert answer.status_code == 409
    text = visible_text(answer.get_data(as_text=True))
    assert "is still published by Test Development and Reform Commission" in text
    assert "测试市发展和改革委员会" not in text


def test_a_code_of_another_departments_namespace_names_it_in_the_pages_language(desk):
    client = desk.test_client()
    log_in(client, "fg", lang="en")
    headers, rows = read_csv(POWERS)
    rows.append({**rows[0], "事项编码": "99010002MZ-XK-0009", "事项名称": "社会团体成立登记"})
    text = visible_text(upload(client, csv_bytes(headers, rows), lang="en").get_data(as_text=True))
    assert "begins with the code of Test Bureau of Civil Affairs (99010002MZ)" in text


def test_the_traditional_sign_in_page_speaks_as_taiwan_does(desk):
    text = visible_text(desk.test_client().get("/zh-hant/desk/login").get_data(as_text=True))
    assert "登入後，上傳並發布本部門的公開內容" in text
    assert "併發布" not in text and "登錄" not in text


def test_a_missing_table_column_says_where_a_table_goes(desk):
    client = desk.test_client()
    log_in(client, "fg")
    rows = [{"考评年度": "2024", "被考评单位": "99010001FG", "总分": "92.5", "等次": "优秀", "名次": "1"}]
    response = upload(client, csv_bytes(list(rows[0]), rows), filename="appraisals.csv", kind="appraisals")
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert ("缺少必填列“考评指标”。这是一张明细表：XLSX 文件请放在名为“考评指标”的工作表中，"
            "CSV 文件请在该列中按模板填写 JSON 数组") in text


def test_a_privacy_purge_withdraws_a_guide_a_commitment_still_names(desk):
    with desk.app_context():
        department = Department.by_code(db.session, "99010001FG")
        with publish.opened(db.session) as writer:
            writer.publish(department, KINDS["services"], [], author="boss", source="purge",
                           reason="该内容含有个人信息,已由效能办依法删除")
    page = visible_text(desk.test_client().get("/zh-hans/services/99010001FG-FW-0001/").get_data(as_text=True))
    assert "该事项已撤回" in page


def test_a_template_uploaded_with_its_example_row_left_in_says_so(desk):
    client = desk.test_client()
    log_in(client, "fg")
    for fmt in ("csv", "xlsx"):
        for kind in KINDS:
            template = client.get(f"/zh-hans/desk/templates/{kind}.{fmt}").data
            response = upload(client, template, f"{kind}.{fmt}", kind=kind)
            text = visible_text(response.get_data(as_text=True))
            assert response.status_code == 422, (kind, fmt)
            # One problem, the example row's own: not its made-up department and codes.
            assert "这一行是模板自带的示例，请删除后再上传" in text and "1 处问题" in text, (kind, fmt, text[:1200])
    with desk.app_context():
        assert db.session.scalar(select(func.count()).select_from(Upload)) == 0


def test_an_english_revision_page_names_complaints_as_the_public_pages_do(desk):
    client = desk.test_client()
    log_in(client, "boss")
    with desk.app_context():
        revision = db.session.scalars(select(Revision).where(Revision.kind == "complaints")
                                      .order_by(Revision.id.desc())).first()
        case = db.session.scalars(select(ComplaintCase).where(
            ComplaintCase.department_id == revision.department_id)).first()
    english = client.get(f"/en/complaints/{case.code}.json").get_json()["title"]
    assert english != case.title  # composed again in English: the category and the department
    page = visible_text(client.get(f"/en/desk/revisions/{revision.id}/").get_data(as_text=True))
    assert english in page and case.title not in page
