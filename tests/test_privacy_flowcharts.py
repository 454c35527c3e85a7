"""A service's flowchart (SVG) is drawn from its flow's step names and posts: the final privacy guard
reads the service before the drawing leaves, as it does before its page does."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.flowstore import drawing
from portal.models import ServiceGuide
from portal.publish.content import load_directory
from tests.conftest import FIXTURE_CITY

PHONE = "13812345678"
SERVICE = "99010001FG-FW-0001"


def test_a_flowchart_drawn_with_personal_data_is_withheld_with_its_service(app):
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
        service = db.session.scalars(select(ServiceGuide).where(ServiceGuide.code == SERVICE)).one()
        flow = [dict(step) for step in service.record["flow"]]
        flow[2]["name"] = f"审核 联系经办人{PHONE}"
        service.record = {**service.record, "flow": flow}
        db.session.commit()
        assert drawing.draw(db.session, [SERVICE], force=True) == 3
        db.session.commit()
    client = app.test_client()
    for lang in ("zh-hans", "zh-hant", "en"):
        assert client.get(f"/{lang}/services/{SERVICE}/").status_code == 451
        response = client.get(f"/{lang}/services/{SERVICE}/flowchart.svg")
        assert response.status_code == 451, lang
        assert PHONE not in response.get_data(as_text=True)


def test_a_clean_flowchart_is_still_served(client):
    response = client.get(f"/zh-hans/services/{SERVICE}/flowchart.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
