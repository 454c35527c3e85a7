"""Gunicorn settings for scripts/serve.

A visitor's browser percent-encodes a Chinese query, but curl, scripts and some
link shorteners send it as raw UTF-8 (`/zh-hans/search?q=营业执照`). Gunicorn answers
such a request line with 400 before the portal sees it: it accepts printable ASCII
only. nginx and Apache accept the bytes 0x80–0xFF there, and Werkzeug decodes them as
UTF-8, so gunicorn is made to accept them too; spaces and control characters are
still refused.
"""

import re

from gunicorn.http import message

message.RFC9112_TARGET_INVALID = re.compile(r"[^\x21-\x7e\x80-\xff]")
