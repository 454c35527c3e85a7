"""Keep the translation catalogs current: extract, update, fill Traditional, compile.

Message ids are the Simplified Chinese text itself; the zh_Hans catalog is made,
never edited: each message id typeset with full-width punctuation (typeset.py).
The zh_Hant catalog starts from an OpenCC conversion of each new message id
(character conversion only), typeset too, and may be corrected by hand; the English
catalog is written by hand, and a test fails while any message is untranslated or fuzzy.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from ..config import ROOT
from .convert import TAIWAN_INTERFACE, Converter
from .extract import schema_strings
from .typeset import typeset

TRANSLATIONS = ROOT / "portal" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
LOCALES = ("zh_Hans", "zh_Hant", "en")
KEYWORDS = ("_l", "lazy_gettext")


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract() -> Catalog:
    """Every message of the code and templates (per babel.cfg) and of the declarations."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, **{k: None for k in KEYWORDS}}
    catalog = Catalog(project="Mingjing", fuzzy=False)
    for _file, _line, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords
    ):
        catalog.add(message, None, auto_comments=comments, context=context)
    for text in schema_strings():
        catalog.add(text, None, auto_comments=["schema"])
    return catalog


def write_template() -> Path:
    """Write messages.pot (sorted, without locations, so diffs stay readable)."""
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as f:
        write_po(f, extract(), width=0, no_location=True, sort_output=True, omit_header=True)
    return TEMPLATE


def po_path(locale: str) -> Path:
    """Where a locale's catalog lives."""
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def update() -> dict[str, int]:
    """Extract, then merge into each locale's catalog; return untranslated counts per locale."""
    write_template()
    missing = {}
    for locale in LOCALES:
        command = "update" if po_path(locale).exists() else "init"
        # No wrapping: each message stays on one line, so catalogs diff and merge line by line.
        extra = ["--no-fuzzy-matching", "--ignore-obsolete", "--no-wrap"] if command == "update" else ["--no-wrap"]
        _pybabel(command, "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "-l", locale, *extra)
        if locale == "zh_Hans":
            fill_simplified(po_path(locale))
        if locale == "zh_Hant":
            fill_traditional(po_path(locale))
        missing[locale] = len(untranslated(po_path(locale)))
    return missing


def _refill(path: Path, make, keep) -> int:
    """Set each message's translation to `make(message id)`, except where `keep(translation,
    message id)` says a hand-corrected one stays; return how many changed."""
    with path.open("rb") as f:
        catalog = read_po(f)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        strings = message.string if message.pluralizable else (message.string,)
        if all(strings) and not message.fuzzy and all(keep(s, i) for s, i in zip(strings, ids)):
            string = message.string
        elif message.pluralizable:  # Chinese has one plural form
            string = tuple(make(message.id[0]) for _ in range(catalog.num_plurals))
        else:
            string = make(message.id)
        # Even a hand-corrected translation gets full-width punctuation.
        string = tuple(map(_chinese, string)) if message.pluralizable else _chinese(string)
        if string != message.string or message.fuzzy:
            message.string = string
            message.flags.discard("fuzzy")
            filled += 1
    with path.open("wb") as f:
        write_po(f, catalog, width=0, omit_header=False)
    return filled


def _chinese(text: str) -> str:
    """A Chinese message typeset: every message id is Chinese, even a bare `;` separator."""
    return typeset(text, chinese=True)


def fill_simplified(path: Path) -> int:
    """Make every zh_Hans translation its message id with full-width punctuation."""
    return _refill(path, _chinese, keep=lambda string, id_: False)


def fill_traditional(path: Path) -> int:
    """Fill empty zh_Hant translations with the OpenCC conversion of their typeset message id,
    in the interface's Taiwan words. A translation still equal to a conversion of its message
    id (bare or in Taiwan words, typeset or not) was never corrected by hand, so it is made
    again; a hand-corrected one is kept, its punctuation typeset."""
    converter = Converter(TAIWAN_INTERFACE)
    bare = Converter()

    def corrected(string: str, id_: str) -> bool:
        made = {bare.convert(id_), converter.convert(id_)}
        return string not in made | {_chinese(m) for m in made}

    return _refill(path, lambda id_: converter.convert(_chinese(id_)), keep=corrected)


def untranslated(path: Path) -> list[str]:
    """Message ids that are untranslated or fuzzy in a catalog."""
    with path.open("rb") as f:
        catalog = read_po(f)
    return [m.id for m in catalog if m.id and (m.fuzzy or not m.string or not all(m.string))]


def compile_all() -> None:
    """Compile each catalog whose .mo file is missing or older than it, to the files flask-babel reads.

    Up-to-date files are left alone: test runs side by side (.ci/run) each compile at start,
    and one rewriting a file another is reading would hand it a half-written catalog.
    """
    for locale in LOCALES:
        po = po_path(locale)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            _pybabel("compile", "-d", str(TRANSLATIONS), "-l", locale, "--statistics")
