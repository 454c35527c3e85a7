"""The city described by content/city.yaml: its name, and whether its data are a sample."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

# libyaml's parser when PyYAML was built with it (its wheels are), the same safe loading either way.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class City:
    """What the portal says about the city it publishes for."""

    name: str
    name_en: str
    sample: bool
    complaint_phone: str
    intro: str
    # Proper nouns that character conversion gets wrong: 华松 must not become 華鬆.
    traditional_phrases: dict[str, str]


@lru_cache(maxsize=4)
def city(content_dir: str) -> City:
    """Read city.yaml from the content directory (defaults when it is absent)."""
    path = Path(content_dir) / "city.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) if path.exists() else {}
    return City(
        name=str(data.get("城市名称", "")),
        name_en=str(data.get("英文名称", "")),
        sample=str(data.get("示例数据", "否")) == "是",
        complaint_phone=str(data.get("效能投诉电话", "12345")),
        intro=str(data.get("简介", "")),
        traditional_phrases={str(k): str(v) for k, v in (data.get("繁体专名") or {}).items()},
    )
