"""The efficiency office hands a code over between departments, on the desk or with `flask codes hand-over`.

After the institutional reform 广安区自然资源和规划局 runs 乡村建设规划许可证核发, still coded with
区住建局's 统一社会信用代码 (11511301008778255F): its upload is refused until the office hands
the code over.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import CodeGrant
from portal.publish.content import load_directory
from tests.conftest import make_app
from tests.desk_helpers import csrf_token, log_in, make_user
from tests.helpers import visible_text
from tests.realworld import account, csv_file, power_row, upload
from tests.test_real_list import MAPPING

ZR, ZJ = "51160207ZR", "51160219ZJ"
RURAL = "511A0149700000-511602000000-000-11511301008778255F-1-00"  # 乡村建设规划许可证核发
DESIGN = "511Z0163500000-511602000000-000-11511301008778255F-1-00"  # 建设工程设计方案审定


@pytest.fixture
def district(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        assert load_directory(db.session, MAPPING).ok
    make_user(app, "office", None, admin=True)
    make_user(app, "zrclerk", ZR)
    return app


def _publish(app, code, name):
    with app.app_context():
        return upload(account("zrclerk"), ZR, "powers", csv_file("powers", [power_row(code, name, ZR)]))


def _form(client):
    page = client.get("/zh-hans/desk/codes/hand-over")
    assert page.status_code == 200
    return {"csrf_token": csrf_token(page.get_data(as_text=True)), "kind": "powers", "department": ZR}


def test_the_office_hands_a_code_over_on_the_desk(district):
    problems, _ = _publish(district, RURAL, "乡村建设规划许可证核发")
    assert problems and "统一社会信用代码属于区住建局" in problems[0].message
    client = district.test_client()
    log_in(client, "office")
    answer = client.post("/zh-hans/desk/codes/hand-over", data={
        **_form(client), "code": RURAL, "reason": "机构改革后乡村建设规划许可划入自然资源和规划局"},
        follow_redirects=True)
    assert f"编码 {RURAL} 已移交区自然资源和规划局" in visible_text(answer.get_data(as_text=True))
    problems, revision = _publish(district, RURAL, "乡村建设规划许可证核发")
    assert problems == [] and revision.added == 1


def test_without_a_reason_nothing_is_handed_over(district):
    client = district.test_client()
    log_in(client, "office")
    answer = client.post("/zh-hans/desk/codes/hand-over", data={**_form(client), "code": RURAL, "reason": ""})
    assert answer.status_code == 400
    with district.app_context():
        assert db.session.scalars(select(CodeGrant)).all() == []


def test_a_department_cannot_hand_codes_over(district):
    client = district.test_client()
    log_in(client, "zrclerk")
    assert client.get("/zh-hans/desk/codes/hand-over").status_code == 403


def test_the_command_hands_a_code_over(district):
    runner = district.test_cli_runner()
    result = runner.invoke(args=["codes", "hand-over", "powers", DESIGN, ZR, "--reason", "机构改革后事项划转",
                                 "--by", "office"])
    assert result.exit_code == 0, result.output
    problems, revision = _publish(district, DESIGN, "建设工程设计方案审定")
    assert problems == [] and revision.added == 1
    refused = runner.invoke(args=["codes", "hand-over", "powers", DESIGN, ZJ, "--reason", "误划", "--by", "zrclerk"])
    assert refused.exit_code != 0 and "not an efficiency office account" in refused.output
