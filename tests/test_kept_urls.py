"""URLs built once and kept (`portal.web.kept_urls`) are exactly the URLs `url_for` builds, in
every language, at every address, as often as they are asked for."""

from __future__ import annotations

import pytest
from flask import Flask, g
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.web.urls import department_url, item_url, list_url

LANGS = ("zh-hans", "zh-hant", "en")
CODES = st.text(alphabet="0123456789ABCFGKXQ-中文 /?#%&.", min_size=1, max_size=12)
CALLS = st.one_of(
    st.tuples(st.just("disclosures.detail"), st.fixed_dictionaries(
        {"kind": st.sampled_from(["powers", "services", "complaints"]), "code": CODES,
         "fmt": st.sampled_from(["html", "json"])})),
    st.tuples(st.just("departments.detail"), st.fixed_dictionaries({"code": CODES})),
    st.tuples(st.just("disclosures.listing"), st.fixed_dictionaries(
        {"kind": st.just("powers"), "fmt": st.sampled_from(["html", "json"])},
        optional={"facet": st.just("power_type"), "value": CODES, "page": st.integers(1, 500),
                  "sort": st.sampled_from(["title", "code"]), "q": CODES})),
    st.tuples(st.just("changes.index"), st.fixed_dictionaries(
        {"fmt": st.just("html")}, optional={"page": st.integers(1, 50), "lang": st.sampled_from(LANGS)})),
    st.tuples(st.just("static"), st.fixed_dictionaries({"filename": st.sampled_from(["site.css", "feed.xsl"])})),
)
OPTIONS = st.fixed_dictionaries({}, optional={"_anchor": CODES, "_external": st.booleans()})
ADDRESSES = st.tuples(st.sampled_from(["http://localhost", "https://localhost", "http://127.0.0.1:8080"]),
                      st.sampled_from(["", "/gov/gk"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(calls=st.lists(st.tuples(CALLS, OPTIONS, st.sampled_from(LANGS), ADDRESSES), min_size=1, max_size=6))
def test_a_kept_url_is_the_url_url_for_builds(city_app, calls):
    for (endpoint, values), options, lang, (host, root) in calls * 2:  # built, then given again
        with city_app.test_request_context("/", base_url=host + root):
            g.lang = lang
            expected = Flask.url_for(city_app, endpoint, **options, **values)
            assert city_app.url_for(endpoint, **options, **values) == expected
            assert city_app.url_for(endpoint, **options, **values) == expected


def test_the_helpers_links_are_the_same_kept_or_not(city_app):
    with city_app.test_request_context("/"):
        for lang in LANGS:
            g.lang = lang
            first = [item_url("powers", "99010001FG-XK-0001"), department_url("99010001FG"),
                     list_url("powers", department="99010001FG", page=2)]
            assert [item_url("powers", "99010001FG-XK-0001"), department_url("99010001FG"),
                    list_url("powers", department="99010001FG", page=2)] == first
            assert first[0] == f"/{lang}/powers/99010001FG-XK-0001/"


@pytest.mark.parametrize("value", [1, True, "1"])
def test_values_equal_in_python_but_not_in_a_url_are_kept_apart(city_app, value):
    with city_app.test_request_context("/"):
        g.lang = "zh-hans"
        city_app.url_for("disclosures.detail", kind="powers", code=1, fmt="html")
        assert city_app.url_for("disclosures.detail", kind="powers", code=value, fmt="html") == \
            Flask.url_for(city_app, "disclosures.detail", kind="powers", code=value, fmt="html")


def test_a_page_s_links_are_seen_by_whoever_watches_kept_or_not(city_app):
    seen = []
    city_app.url_observers.append(lambda endpoint, values: seen.append((endpoint, dict(values))))
    try:
        with city_app.test_request_context("/"):
            for _ in range(3):
                department_url("99010001FG")
    finally:
        city_app.url_observers.pop()
    assert seen == [("departments.detail", {"code": "99010001FG", "fmt": "html"})] * 3


def test_kept_urls_stay_within_their_limit_and_stay_right(city_app, monkeypatch):
    from portal.web import kept_urls

    monkeypatch.setattr(kept_urls, "LIMIT", 5)
    city_app.kept_urls.clear()
    with city_app.test_request_context("/"):
        g.lang = "en"
        for number in range(1, 13):
            assert item_url("powers", f"99010001FG-XK-{number:04}") == f"/en/powers/99010001FG-XK-{number:04}/"
            assert len(city_app.kept_urls) <= 5
