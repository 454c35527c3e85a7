"""Gunicorn settings for scripts/serve.

A visitor's browser percent-encodes a Chinese query, but curl, scripts and some
link shorteners send it as raw UTF-8 (`/zh-hans/search?q=营业执照`). Gunicorn answers
such a request line with 400 before the portal sees it: it accepts printable ASCII
only. nginx and Apache accept the bytes 0x80–0xFF there, and Werkzeug decodes them as
UTF-8, so gunicorn is made to accept them too; spaces and control characters are
still refused.
"""

import re
import time

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


def post_worker_init(worker):
    """Render the portal's main pages once in each new worker before it takes connections, so
    that the first visitors after a start or reload do not pay for compiling templates, loading
    catalogues and opening the search index (portal.web.warmup)."""
    from flask import Flask

    from portal.web.warmup import warm

    if not isinstance(worker.wsgi, Flask):  # these settings may serve another WSGI app (the tests' echo)
        return
    started = time.perf_counter()
    pages = warm(worker.wsgi)
    worker.log.info("warmed %d pages in %.0f ms", len(pages), (time.perf_counter() - started) * 1000)
