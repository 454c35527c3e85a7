"""`flask content load`: the happy path, re-runs, withdrawals and malformed files."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ChangeEvent, ComplaintCase, PowerItem, Revision

POWERS = "disclosures/99010001FG/powers.csv"
COMPLAINTS = "disclosures/99010002MZ/complaints.csv"


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def edit_csv(path, change):
    """Rewrite a CSV file after `change(rows)` edits its list of dict rows in place."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        headers, rows = list(reader.fieldnames), list(reader)
    headers = change(headers, rows) or headers
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_load_publishes_every_file_once(app, runner, city_copy):
    result = runner.invoke(args=["content", "load", str(city_copy)])
    assert result.exit_code == 0, result.output
    assert "8 files read, 7 published" in result.output
    assert count(app, PowerItem) == 3
    assert count(app, ComplaintCase) == 2
    # Each of the 3 departments is a revision of its own (reference data), then 7 disclosure files.
    assert count(app, Revision) == 10
    assert count(app, ChangeEvent) == 13  # 3 departments, then 3 + 1 + 1 + 3 + 2 items added

    again = runner.invoke(args=["content", "load", str(city_copy)])
    assert again.exit_code == 0
    assert "0 published" in again.output
    assert count(app, Revision) == 10


def test_if_empty_loads_only_into_an_empty_database(app, runner, city_copy):
    assert runner.invoke(args=["content", "load", "--if-empty", str(city_copy)]).exit_code == 0
    edit_csv(city_copy / POWERS, lambda h, rows: rows.pop())
    result = runner.invoke(args=["content", "load", "--if-empty", str(city_copy)])
    assert "nothing to do" in result.output
    assert count(app, PowerItem, PowerItem.withdrawn_at.is_(None)) == 3


def test_a_removed_row_is_withdrawn_with_a_tombstone(app, runner, city_copy):
    runner.invoke(args=["content", "load", str(city_copy)])
    edit_csv(city_copy / POWERS, lambda h, rows: rows.pop(1))  # 99010001FG-CF-0001
    result = runner.invoke(args=["content", "load", "-v", str(city_copy)])
    assert "withdrawn 1" in result.output
    assert count(app, PowerItem) == 3  # the row stays, as a tombstone
    assert count(app, PowerItem, PowerItem.withdrawn_at.is_(None)) == 2

    client = app.test_client()
    page = client.get("/zh-hans/powers/99010001FG-CF-0001/").get_data(as_text=True)
    assert "该事项已撤回" in page and "发布单位在新版清单中删除了该事项" in page
    assert "99010001FG-CF-0001" not in client.get("/zh-hans/powers/").get_data(as_text=True)
    latest = client.get("/zh-hans/index.json").get_json()["latest_changes"][0]
    assert (latest["action"], latest["code"]) == ("withdrawn", "99010001FG-CF-0001")


def test_a_changed_field_is_recorded_old_to_new(app, runner, city_copy):
    runner.invoke(args=["content", "load", str(city_copy)])

    def rename(headers, rows):
        rows[1]["承办机构"] = "价格科"

    edit_csv(city_copy / POWERS, rename)
    runner.invoke(args=["content", "load", str(city_copy)])
    with app.app_context():
        event = db.session.scalars(select(ChangeEvent).order_by(ChangeEvent.id.desc())).first()
        assert event.action == "changed"
        assert event.changes == {"office": ["价格监督检查科", "价格科"]}


def test_revisions_form_a_hash_chain(app, runner, city_copy):
    runner.invoke(args=["content", "load", str(city_copy)])
    with app.app_context():
        revisions = db.session.scalars(select(Revision).order_by(Revision.id)).all()
        assert revisions[0].prev_hash is None
        for previous, current in zip(revisions, revisions[1:]):
            assert current.prev_hash == previous.hash
        assert len({r.hash for r in revisions}) == len(revisions)


def _missing_column(headers, rows):
    return [h for h in headers if h != "权力类型"]


def _bad_enum(headers, rows):
    rows[0]["权力类型"] = "行政审批"


def _duplicate_code(headers, rows):
    rows[1]["事项编码"] = rows[0]["事项编码"]


def _bad_date(headers, rows):
    rows[2]["状态日期"] = "2024-02-30"


def _unknown_department(headers, rows):
    rows[0]["实施主体"] = "测试市不存在局"


def _other_department(headers, rows):
    rows[0]["实施主体"] = "99010002MZ"


def _blank_required(headers, rows):
    rows[0]["事项名称"] = "  "


@pytest.mark.parametrize(
    ("change", "row", "column", "message"),
    [
        (_missing_column, 1, "权力类型", "缺少必填列“权力类型”"),
        (_bad_enum, 2, "权力类型", "“行政审批”不是允许的值"),
        (_duplicate_code, 3, "事项编码", "与第 2 行重复"),
        (_bad_date, 4, "状态日期", "日期不存在：“2024-02-30”"),
        (_unknown_department, 2, "实施主体", "未知的部门：“测试市不存在局”"),
        (_other_department, 2, "实施主体", "只能发布本部门（99010001FG）的数据"),
        (_blank_required, 2, "事项名称", "必填项不能为空"),
    ],
)
def test_a_malformed_file_is_named_and_nothing_from_it_is_stored(
    app, runner, city_copy, change, row, column, message
):
    edit_csv(city_copy / POWERS, change)
    result = runner.invoke(args=["content", "load", str(city_copy)])
    assert result.exit_code != 0
    assert f"错误 {POWERS} 第 {row} 行「{column}」:" in result.output
    assert message in result.output
    assert count(app, PowerItem) == 0
    # The other files still load.
    assert count(app, ComplaintCase) == 2


def test_a_commitment_needs_its_service(app, runner, city_copy):
    (city_copy / "disclosures/99010001FG/services.yaml").unlink()
    result = runner.invoke(args=["content", "load", str(city_copy)])
    assert "本部门没有已发布的办事指南“99010001FG-FW-0001”" in result.output
    assert result.exit_code != 0


def test_a_code_owned_by_another_department_is_refused(app, runner, city_copy):
    runner.invoke(args=["content", "load", str(city_copy)])

    # 99010001FG now reports a case number that 99010002MZ published.
    target = city_copy / "disclosures/99010001FG/complaints.csv"
    target.write_bytes((city_copy / COMPLAINTS).read_bytes())
    edit_csv(target, lambda h, rows: rows.__setitem__(slice(None), [
        {**r, "被投诉单位": "99010001FG"} for r in rows]))
    result = runner.invoke(args=["content", "load", str(city_copy)])
    assert "已由其他部门（99010002MZ）使用" in result.output
    assert count(app, ComplaintCase) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        ("事项编码,事项名称\n".encode(), "文件只有表头，没有数据行"),
        ("事项编码,事项名称\na,b\n".encode(), "缺少必填列"),
        (b"\xff\xfe\x00\x41\x00", "无法识别文件编码"),
        ('事项编码,"未结束\n'.encode(), "CSV 格式错误"),
        ("事项编码,事项名称\na,b,c\n".encode(), "第 2 行有 3 列，表头有 2 列"),
    ],
)
def test_unreadable_files_are_reported(app, runner, city_copy, content, message):
    (city_copy / POWERS).write_bytes(content)
    result = runner.invoke(args=["content", "load", str(city_copy)])
    assert message in result.output
    assert count(app, PowerItem) == 0


def test_gbk_and_bom_files_load(app, runner, city_copy):
    text = (city_copy / POWERS).read_text(encoding="utf-8")
    (city_copy / POWERS).write_bytes(text.encode("gb18030"))
    (city_copy / COMPLAINTS).write_bytes((city_copy / COMPLAINTS).read_text().encode("utf-8-sig"))
    result = runner.invoke(args=["content", "load", str(city_copy)])
    assert result.exit_code == 0, result.output
    assert count(app, PowerItem) == 3
    assert count(app, ComplaintCase) == 2
    with app.app_context():
        assert db.session.scalar(select(PowerItem.title).where(PowerItem.code == "99010001FG-XK-0001")) == "企业投资项目核准"


def test_yaml_with_aliases_is_refused(app, runner, city_copy):
    path = city_copy / "disclosures/99010001FG/appraisals.yaml"
    path.write_text(path.read_text().replace("考评方式: 综合考评", "考评方式: &m 综合考评\n  备注2: *m"))
    result = runner.invoke(args=["content", "load", str(city_copy)])
    assert "YAML 中不允许使用锚点和别名" in result.output


def test_setup_prepares_everything_once_and_then_does_nothing(app, runner):
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert "8 files read, 7 published" in first.output
    again = runner.invoke(args=["setup"])
    assert again.exit_code == 0, again.output
    assert "content already loaded; nothing to do" in again.output
    assert "search index present; nothing to do" in again.output
    assert count(app, Revision) == 10


SERVICES = "disclosures/99010001FG/services.yaml"


def _relink(city_copy, *, personal_data: bool = False):
    """Rename the power 99010001FG-XK-0001 to …-XK-0009 in the powers file, and relink its guide."""
    def rename(headers, rows):
        rows[0]["事项编码"] = "99010001FG-XK-0009"

    edit_csv(city_copy / POWERS, rename)
    guides = (city_copy / SERVICES).read_text(encoding="utf-8")
    guides = guides.replace("关联权力事项编码: 99010001FG-XK-0001", "关联权力事项编码: 99010001FG-XK-0009")
    if personal_data:  # refused when checked, after the powers file was
        guides = guides.replace("受理条件: 项目符合国家产业政策。", "受理条件: 项目符合国家产业政策。联系人手机13812345678。")
    (city_copy / SERVICES).write_text(guides, encoding="utf-8")


def live_power_codes(app):
    with app.app_context():
        return set(db.session.scalars(select(PowerItem.code).where(PowerItem.withdrawn_at.is_(None))))


def test_one_load_withdraws_a_power_and_relinks_its_guide_to_the_new_one(app, runner, city_copy):
    assert runner.invoke(args=["content", "load", str(city_copy)]).exit_code == 0
    _relink(city_copy)
    result = runner.invoke(args=["content", "load", "-v", str(city_copy)])
    assert result.exit_code == 0, result.output
    assert live_power_codes(app) == {"99010001FG-XK-0009", "99010001FG-CF-0001", "99010001FG-JC-0001"}
    client = app.test_client()
    guide = client.get("/zh-hans/services/99010001FG-FW-0001/").get_data(as_text=True)
    assert "99010001FG-XK-0009" in guide and "99010001FG-XK-0001" not in guide
    withdrawn = client.get("/zh-hans/powers/99010001FG-XK-0001/").get_data(as_text=True)
    assert "该事项已撤回" in withdrawn


def test_a_power_stays_when_the_guides_that_no_longer_name_it_are_refused(app, runner, city_copy):
    assert runner.invoke(args=["content", "load", str(city_copy)]).exit_code == 0
    revisions = count(app, Revision)
    _relink(city_copy, personal_data=True)
    result = runner.invoke(args=["content", "load", str(city_copy)])
    assert result.exit_code != 0
    # Each file is judged against what is live: the guide still names the power, so it stays.
    assert "“99010001FG-XK-0001”不在文件中，将被撤回，但仍有办事指南以它为关联权力事项" in result.output
    # …and the guides' file says what refused it first, besides the power it names.
    assert "本部门没有权力事项“99010001FG-XK-0009”" in result.output and "手机号码" in result.output
    assert live_power_codes(app) == {"99010001FG-XK-0001", "99010001FG-CF-0001", "99010001FG-JC-0001"}
    assert count(app, Revision) == revisions
