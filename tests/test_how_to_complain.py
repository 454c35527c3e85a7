"""The sample city's "how to complain" page sends a citizen somewhere real: this portal publishes
closed cases and takes no complaints, so its online channel is named, not implied to be here."""

from __future__ import annotations

import pytest

from tests.helpers import visible_text


@pytest.mark.parametrize("lang, here, channel", [
    ("zh-hans", "本站只公开已办结的案件，不受理投诉", "华松市政务服务网"),
    ("zh-hant", "本站只公開已辦結的案件，不受理投訴", "華松市政務服務網"),
    ("en", "This site publishes closed cases only and does not take complaints", "Huasong government services website"),
])
def test_the_online_channel_is_named_and_this_site_takes_no_complaints(sample_app, lang, here, channel):
    text = visible_text(sample_app.test_client().get(f"/{lang}/pages/how-to-complain/").get_data(as_text=True))
    assert here in text
    assert channel in text
