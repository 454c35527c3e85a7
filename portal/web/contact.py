"""Contact values made actionable: phone numbers as `tel:` links, web addresses as links.

Departments write phone fields as they print them — one number, several separated by
、,; or /, an extension in brackets — so each number found is linked and the text around
it is kept as written. Everything is escaped.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# A number as printed: an optional +, then digits with hyphens or spaces inside (0999-8015267, 12345).
PHONE = re.compile(r"\+?\d[\d -]{3,}\d")
WEB = re.compile(r"^https?://\S+$")


def tel_links(text: str | None) -> Markup:
    """The phone field with every number in it as a `tel:` link (dialled digits only)."""
    out: list[Markup] = []
    last = 0
    for match in PHONE.finditer(text or ""):
        number = match.group()
        dial = re.sub(r"[^\d+]", "", number)
        out.append(escape(text[last:match.start()]))
        out.append(Markup('<a class="tel" href="tel:%s">%s</a>') % (dial, number))
        last = match.end()
    out.append(escape((text or "")[last:]))
    return Markup("").join(out)


def web_link(text: str | None) -> Markup:
    """A value that is a web address as a link to it; any other text as it is, escaped."""
    value = (text or "").strip()
    if WEB.match(value):
        return Markup('<a href="%s">%s</a>') % (value, value)
    return escape(text or "")


# A time range as written in opening hours: 8:30-12:00, 9:00～17:30, 14:00至17:30.
TIME_RANGE = re.compile(r"\d{1,2}[:：]\d{2}\s*[-–—~～至]\s*\d{1,2}[:：]\d{2}")


def hours(text: str | None) -> Markup:
    """Opening hours with each time range kept on one line (a phone must not break 8:30-12:00)."""
    out: list[Markup] = []
    last = 0
    for match in TIME_RANGE.finditer(text or ""):
        out.append(escape(text[last:match.start()]))
        out.append(Markup('<span class="nowrap">%s</span>') % match.group())
        last = match.end()
    out.append(escape((text or "")[last:]))
    return Markup("").join(out)
