"""A department clerk's way through the desk, as they meet it: templates, reports, preview, publish."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.publish.content import load_directory
from tests.conftest import FIXTURE_CITY
from tests.desk_helpers import log_in, make_user


@pytest.fixture
def desk(app):
    """A fresh app with the fixture city and a department account."""
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    make_user(app, "fg", "99010001FG")
    return app


def test_the_csv_template_names_its_encoding_once(desk):
    client = desk.test_client()
    log_in(client, "fg")
    response = client.get("/zh-hans/desk/templates/powers.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
