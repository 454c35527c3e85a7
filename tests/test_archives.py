"""How the change log and its feeds are cut into archive pages (`catalog.archives`): whatever
arrives later, an archive page keeps its events, and the front page and the archives together show
every event once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from portal.catalog.archives import archive_count, archive_span, front_span, legacy_page, on_front

totals = st.integers(min_value=0, max_value=2_000)
sizes = st.integers(min_value=1, max_value=60)


@given(totals, sizes)
def test_the_front_and_the_archives_show_every_event_once(total, size):
    shown = [p for k in range(1, archive_count(total, size) + 1) for p in range(*archive_span(k, size))]
    shown += list(range(*front_span(total, size)))
    assert shown == list(range(total))
    start, end = front_span(total, size)
    assert end - start == total if total < size else size <= end - start < 2 * size


@given(totals, st.integers(min_value=0, max_value=500), sizes)
def test_an_archive_page_never_changes_as_events_arrive(total, more, size):
    before, after = archive_count(total, size), archive_count(total + more, size)
    assert before <= after
    for page in range(1, before + 1):
        start, end = archive_span(page, size)
        assert end <= total  # complete when it became an archive: later events go elsewhere


@given(totals, sizes, st.integers(min_value=1, max_value=100))
def test_an_old_page_number_leads_to_its_newest_event(total, size, page):
    newest = total - 1 - (page - 1) * size  # its newest event, numbered from the oldest
    if newest < 0 and page > 1:
        try:
            legacy_page(total, size, page)
        except LookupError:
            return
        raise AssertionError("a page past the end must not be found")
    archive = legacy_page(total, size, page)
    if archive is None:
        start, end = front_span(total, size)
        assert total == 0 or start <= newest < end
    else:
        start, end = archive_span(archive, size)
        assert start <= newest < end and not on_front(total, size, archive)
