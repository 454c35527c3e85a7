"""city.yaml and the pages' headers are read by libyaml's parser when PyYAML has it: the data must be
exactly what the pure-Python safe loader gives (dates, numbers, yes/no, repeated keys, text)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portal import city as city_module
from portal.catalog import pages

ROOT = Path(__file__).resolve().parent.parent

SAMPLES = [
    "城市名称: 华松市\n效能投诉电话: '12345'\n示例数据: 是\n",
    "发布日期: 2024-03-05\n时间: 2024-03-05 08:30:00\n",
    "order: 010\nratio: 1.5e3\nflag: yes\nother: no\nnothing: ~\nhex: 0x1F\nsexagesimal: 12:30\n",
    "title: 一\ntitle: 二\n",  # a repeated key: the last one wins, as it always has
    "繁体专名:\n  华松: 華松\n  松华大道: 松華大道\nlist: [1, '2', three]\n",
    "en:\n  title: About\n  summary: >\n    folded\n    text\n",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_the_loaders_read_the_same_data(text):
    fast = yaml.load(text, Loader=city_module._LOADER)
    plain = yaml.load(text, Loader=yaml.SafeLoader)
    assert fast == plain
    assert [type(v) for v in (fast or {}).values()] == [type(v) for v in (plain or {}).values()]


def test_the_content_reads_the_same_with_either_loader():
    headers = [ROOT / "content" / "city.yaml"]
    for page in sorted((ROOT / "content" / "pages").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            headers.append(text[4:].partition("\n---\n")[0])
    for source in headers:
        text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
        assert yaml.load(text, Loader=pages._LOADER) == yaml.load(text, Loader=yaml.SafeLoader)


def test_libyaml_is_used_when_present():
    assert city_module._LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
