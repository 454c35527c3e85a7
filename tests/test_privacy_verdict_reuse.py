"""The verdict stored with an item as it is published reads its record's texts through the publish's
screening: it must be exactly the verdict read from scratch, for text with and without personal data,
multi-line texts, the item's code written into its texts, contact numbers and other public numbers."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.extensions import db
from portal.privacy import guard
from portal.privacy.detect import Public
from portal.privacy.screening import public_now, screen_against
from portal.schemas import KINDS
from tests.privacy_strategies import AFTER, BEFORE, ORDINARY_TEXT, PERSONAL

SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

CODE = "99010001FG-XK-0001"
_PERSONAL = st.tuples(BEFORE, PERSONAL.map(lambda pair: pair[1]), AFTER).map("".join)
_PIECE = st.one_of(_PERSONAL, ORDINARY_TEXT, st.sampled_from(["\n", CODE, "0571-88886666", "咨询电话", ""]))
_TEXT = st.lists(_PIECE, max_size=4).map("".join)
_PUBLIC = st.sampled_from([None, Public(frozenset({"057188886666"}), ("华松市松华大道1号",))])


@SETTINGS
@given(st.fixed_dictionaries({"remarks": _TEXT, "duties": _TEXT, "basis": _TEXT,
                              "phone": st.sampled_from(["0571-88886666", "13912345678", "", "找张三13812345678"])}),
       _TEXT, _PUBLIC)
def test_a_verdict_read_through_the_screening_is_the_verdict_read_afresh(app, record, title, other):
    kind = KINDS["powers"]
    record = {"code": CODE, **record}
    with app.app_context():
        now = public_now(db.session)
        screening = screen_against(now, kind, [record])
        (_code, screened), = screening.records
        fresh = guard.verdict("powers", CODE, title, record, None)
        assert guard.verdict("powers", CODE, title, record, None, screened, screening.public) == fresh
        # A screening made while other numbers were public is not trusted for what is in the texts.
        if other is not None:
            earlier = screen_against(other, kind, [record])
            assert guard.verdict("powers", CODE, title, record, None, earlier.records[0][1], other) == fresh
