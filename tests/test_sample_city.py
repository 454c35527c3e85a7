"""The committed sample city: it loads cleanly, is as large as promised, and is reproducible."""

from __future__ import annotations

import filecmp

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.publish.content import load_directory
from portal.models import AppraisalResult, ComplaintCase, Department, PowerItem, ServiceGuide
from portal.samplecity import generate
from portal.schemas.powers import POWER_TYPES
from tests.conftest import CONTENT, make_app


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("sample"), content=CONTENT)
    with app.app_context():
        report = load_directory(db.session, CONTENT)
        assert report.ok, [(f.path, [p.as_dict() for p in f.problems]) for f in report.files if f.problems]
    return app


def scalar(app, query):
    with app.app_context():
        return db.session.scalar(query)


def test_sample_city_is_city_sized(sample):
    count = lambda model: scalar(sample, select(func.count()).select_from(model))  # noqa: E731
    assert count(Department) >= 30
    categories = scalar(sample, select(func.count(func.distinct(Department.category))))
    assert categories == 2  # 市直部门 and 乡镇街道
    assert count(PowerItem) >= 400
    with sample.app_context():
        types = set(db.session.scalars(select(PowerItem.power_type).distinct()))
        assert types == set(POWER_TYPES)
        services = db.session.scalars(select(ServiceGuide)).all()
        assert len(services) >= 120
        assert all(4 <= len(s.record["flow"]) <= 12 for s in services)
        years = db.session.execute(
            select(AppraisalResult.department_id, func.count()).group_by(AppraisalResult.department_id)
        ).all()
        assert len(years) == count(Department) and all(n == 3 for _, n in years)
        appraisals = db.session.scalars(select(AppraisalResult)).all()
        assert all(len(a.record["indicators"]) >= 5 for a in appraisals)
        complaint_years = set(db.session.scalars(select(ComplaintCase.year).distinct()))
    assert count(ComplaintCase) >= 300
    assert len(complaint_years) == 3


def test_every_service_has_a_commitment(sample):
    client = sample.test_client()
    services = client.get("/zh-hans/services.json").get_json()["total"]
    commitments = client.get("/zh-hans/commitments.json").get_json()["total"]
    assert services == commitments


def test_appraisal_ranking_names_the_bottom_three_of_each_group(sample):
    page = sample.test_client().get("/zh-hans/appraisals/2024/").get_data(as_text=True)
    assert page.count('class="bottom-three"') == 6  # three 市直部门, three 乡镇街道


def test_generator_reproduces_the_committed_files(tmp_path):
    generate(tmp_path, seed=2024, scale=1)
    assert (tmp_path / "departments.csv").read_bytes() == (CONTENT / "departments.csv").read_bytes()
    comparison = filecmp.dircmp(tmp_path / "disclosures", CONTENT / "disclosures")
    mismatched = []

    def walk(cmp):
        mismatched.extend(cmp.left_only + cmp.right_only + cmp.diff_files)
        _, differing, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        mismatched.extend(differing + errors)
        for sub in cmp.subdirs.values():
            walk(sub)

    walk(comparison)
    assert mismatched == []
