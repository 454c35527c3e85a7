"""Read YAML as plain data: every scalar a string, no tags, no aliases, bounded nesting."""

from __future__ import annotations

import yaml
from flask_babel import lazy_gettext as _l

from ..schemas import Kind
from . import headers as spelled
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
    text = decode(data, kind.headers).lstrip("\ufeff")
    if not text.strip():
        raise limits.empty_file()
    try:
        items = _load(text)
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
    return items_sheet([spelled.row(kind, item) for item in items])


def _load(text: str):
    """Build the document from the parser's events in one pass: text, lists and mappings only.

    Refused as they come, before anything is built from them: anchors and aliases
    (which can expand exponentially, "billion laughs"), explicit tags such as
    `!!int` or `!!python/object` (which would build something other than text),
    nesting deeper than MAX_DEPTH, more items than MAX_ROWS, more keys than
    MAX_COLUMNS, repeated keys (the last would silently win) and keys that are not
    text. One pass over the events, and a limit hit early stops reading, so the
    cost stays linear in the file and small: a second pass (composing nodes, then
    constructing objects) took several seconds per megabyte.
    """
    loader = _StringLoader(text)
    get_event = loader.get_event  # the loop below runs once per scalar of the file: kept lean
    root = None
    documents = 0
    stack: list = []  # open collections, innermost last
    keys: list = []  # per open collection: the mapping's pending key (None when a key comes next)
    top = None  # stack[-1]
    key = None  # keys[-1]
    try:
        while True:
            event = get_event()
            kind = event.__class__
            if kind is _SCALAR:
                if event.anchor is not None or event.tag is not None:
                    _check_event(event, len(stack))
                value = event.value
            elif kind is _SEQUENCE_END or kind is _MAPPING_END:
                stack.pop()
                keys.pop()
                top = stack[-1] if stack else None
                key = keys[-1] if keys else None
                continue
            elif kind is _SEQUENCE_START or kind is _MAPPING_START:
                _check_event(event, len(stack))
                value = [] if kind is _SEQUENCE_START else {}
            elif kind is yaml.StreamEndEvent:
                return root
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise yaml.MarkedYAMLError(problem="expected a single document",
                                               problem_mark=event.start_mark)
                continue
            elif kind is yaml.StreamStartEvent or kind is yaml.DocumentEndEvent:
                continue
            else:  # an alias
                _check_event(event, len(stack))
            if top is None:
                root = value
            elif top.__class__ is dict:
                if key is None:
                    # A new text key within the column limit, as nearly every key is; else checked.
                    fresh = value.__class__ is str and value not in top and len(top) < limits.MAX_COLUMNS
                    key = keys[-1] = value if fresh else _key(value, top, event)
                else:
                    top[key] = value
                    key = keys[-1] = None
            else:
                top.append(value)
                if len(stack) == 1:
                    limits.check_row_count(len(top))
            if kind is not _SCALAR:
                stack.append(value)
                keys.append(None)
                top, key = value, None
    finally:
        loader.dispose()


_SCALAR = yaml.ScalarEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent


def _check_event(event, depth: int) -> None:
    line = event.start_mark.line + 1
    if type(event) is yaml.AliasEvent or event.anchor is not None:
        raise ReadError(_l("YAML 中不允许使用锚点和别名(第 %(line)s 行)", line=line))
    # The parser leaves `tag` None unless the file wrote one.
    if event.tag is not None:
        raise ReadError(_l("YAML 中不允许使用标签“%(tag)s”(第 %(line)s 行)", tag=event.tag[:40], line=line))
    if type(event) is not yaml.ScalarEvent and depth + 1 > limits.MAX_DEPTH:
        raise ReadError(_l("YAML 嵌套超过 %(max)s 层(第 %(line)s 行)", max=limits.MAX_DEPTH, line=line))


def _key(value, mapping: dict, event) -> str:
    if not isinstance(value, str):
        raise yaml.MarkedYAMLError(problem="a key must be text", problem_mark=event.start_mark)
    if value in mapping:
        raise ReadError(_l("YAML 中有重复的键“%(key)s”(第 %(line)s 行)",
                           key=value[:40], line=event.start_mark.line + 1))
    limits.check_column_count(len(mapping) + 1)
    return value
