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

# Threaded workers keep a connection open between requests (HTTP keep-alive): the sync worker
# closes it after every answer, so a client, proxy or load generator pays a new connection and
# the worker a close for each request, which costs more than sending a kept answer. A few threads
# per worker also let a short request go while another waits on the database or the search
# index; the app is thread-safe (one database session per request, locks around what a worker
# keeps). Pinned here so that scripts/serve, the benchmarks and a production start agree.
worker_class = "gthread"
threads = 4
keepalive = 5  # seconds an idle connection is kept: a proxy's own idle timeout must be shorter
