"""Read YAML as plain data: every scalar a string, no tags, no aliases, bounded nesting."""

from __future__ import annotations

import yaml
from flask_babel import lazy_gettext as _l

from ..schemas import Kind
from . import limits
from .jsonfile import items_sheet
from .sheet import ReadError, Sheet
from .textfile import decode

# libyaml (bundled with PyYAML's wheels) parses about ten times faster than the pure
# Python parser, which would take most of a minute over a 10 MB upload.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StringLoader(_SafeLoader):
    """YAML loader that keeps every scalar as text (no 1.1 coercions like `no`, `010` or `12:30`)."""


# BaseLoader would keep strings too but accepts arbitrary tags silently; building
# on SafeLoader with the implicit resolvers removed keeps strings *and* rejects tags.
_StringLoader.yaml_implicit_resolvers = {}


def read_yaml(data: bytes, kind: Kind) -> Sheet:
    """Read a YAML list of mappings (one per item, item 1 is row 1); nested lists stay lists."""
    text = decode(data).lstrip("\ufeff")
    if not text.strip():
        raise limits.empty_file()
    try:
        _check_events(text)
        items = yaml.load(text, Loader=_StringLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise ReadError(
            _l("YAML 格式错误(第 %(line)s 行第 %(column)s 个字符附近)",
               line=mark.line + 1 if mark else "?", column=mark.column + 1 if mark else "?")
        ) from None
    except yaml.YAMLError:
        raise ReadError(_l("YAML 格式错误")) from None
    if items is None:
        raise limits.empty_file()
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ReadError(_l("YAML 文件应为事项列表,每项是一组“列名: 值”"))
    if not items:
        raise ReadError(_l("文件中没有任何数据"))
    limits.check_row_count(len(items))
    return items_sheet(items)


def _check_events(text: str) -> None:
    """Refuse anchors and aliases, explicit tags and deep nesting before anything is built.

    Aliases can expand exponentially ("billion laughs"); tags such as `!!int` or
    `!!python/object` would build something other than text; and the composer
    recurses once per level. Disclosures need none of them.
    """
    loader = _StringLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ReadError(_l("YAML 中不允许使用锚点和别名(第 %(line)s 行)", line=line))
            # The parser leaves `tag` None unless the file wrote one.
            if getattr(event, "tag", None) is not None:
                raise ReadError(
                    _l("YAML 中不允许使用标签“%(tag)s”(第 %(line)s 行)", tag=event.tag[:40], line=line)
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limits.MAX_DEPTH:
                    raise ReadError(
                        _l("YAML 嵌套超过 %(max)s 层(第 %(line)s 行)", max=limits.MAX_DEPTH, line=line)
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()

