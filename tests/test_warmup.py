"""A new app server process renders the main pages once before its first visitor (portal.web.warmup)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from portal.web import warmup
from tests.conftest import make_app

ROOT = Path(__file__).resolve().parent.parent


def test_warming_renders_home_in_every_language_every_list_a_department_search_and_data(city_app):
    answers = warmup.warm(city_app)
    paths = [path for path, _, _ in answers]
    assert [status for _, status, _ in answers] == [200] * len(answers)
    assert paths[:3] == ["/zh-hans/", "/zh-hant/", "/en/"]
    for kind in ("powers", "services", "commitments", "appraisals", "complaints"):
        assert f"/zh-hans/{kind}/" in paths
    assert "/zh-hans/departments/99010001FG/" in paths
    assert {"/zh-hans/changes/", "/zh-hans/data/"} <= set(paths)
    assert any(path.startswith("/zh-hans/search?q=") for path in paths)


def test_an_empty_city_warms_without_a_department_page(app):
    answers = warmup.warm(app)
    assert answers and all(status == 200 for _, status, _ in answers)
    assert not any("/departments/" in path for path, _, _ in answers)


def test_gunicorn_with_the_projects_settings_warms_each_worker_before_it_answers(city_app, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": city_app.config["DATABASE_URL"], "SECRET_KEY": "warm",
           "PYTHONPATH": str(ROOT)}
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "scripts" / "gunicorn.conf.py"),
             "--workers", "1", "--bind", f"127.0.0.1:{port}",
             f"portal:create_app({{'INSTANCE_PATH': {str(tmp_path / 'instance')!r}}})"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            for _ in range(200):
                try:
                    answer = requests.get(f"http://127.0.0.1:{port}/zh-hans/", timeout=30)
                    break
                except requests.ConnectionError:
                    time.sleep(0.1)
        finally:
            server.terminate()
            server.wait()
    assert answer.status_code == 200 and "明镜" in answer.text
    assert "warmed 12 pages" in log.read_text()
