"""Search in everyday words, on the sample city: the synonym dictionary, ranking, labelled snippets."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from werkzeug.test import EnvironBuilder

from portal.search import synonyms
from tests.conftest import CONTENT

ROOT = Path(__file__).parent.parent


def titles(html: str) -> list[str]:
    """The hit titles a visitor reads, in order."""
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r'class="hit-title"><a [^>]*>(.*?)</a>', html)]


def total(client, q: str) -> int:
    return client.get("/zh-hans/search.json", query_string={"q": q}).get_json()["total"]


@pytest.mark.parametrize("q, expected", [("社保卡", "社会保障卡补换"), ("低保", "最低生活保障申请"),
                                         ("开公司", "企业设立登记")])
def test_everyday_words_find_the_official_wording(sample_app, q, expected):
    html = sample_app.test_client().get("/zh-hans/search", query_string={"q": q}).get_data(as_text=True)
    assert expected in titles(html)[:3]


def test_a_synonym_widens_and_never_narrows(sample_app):
    client = sample_app.test_client()
    assert total(client, "低保") > total(client, "最低生活保障") >= 2
    assert total(client, "社保卡") >= total(client, "社会保障卡") > 0


def test_traditional_everyday_words_are_expanded_too(sample_app):
    client = sample_app.test_client()
    assert total(client, "開公司") == total(client, "开公司") > 0
    html = client.get("/zh-hant/search", query_string={"q": "開公司"}).get_data(as_text=True)
    assert "企業設立登記" in titles(html)[:3]


def test_what_a_service_issues_ranks_above_its_materials(sample_app):
    html = sample_app.test_client().get("/zh-hans/search", query_string={"q": "营业执照"}).get_data(as_text=True)
    issuing = {"企业设立登记", "企业变更登记", "个体工商户设立登记", "企业开办“一件事”集成办理"}
    assert titles(html)[0] == "企业设立登记" and set(titles(html)[:4]) == issuing
    # Forty services ask for a licence among their materials: they come after.
    hits = html.split('class="search-hit"')[1:]
    assert all('<span class="hit-field">材料名称</span>' in hit for hit in hits[4:8])


def test_snippets_say_which_field_matched(sample_app):
    html = sample_app.test_client().get("/zh-hans/search", query_string={"q": "营业执照"}).get_data(as_text=True)
    hits = html.split('class="search-hit"')[1:]
    assert '<span class="hit-field">办理结果名称</span> <mark>营业执照</mark>' in hits[0]
    assert any('<span class="hit-field">材料名称</span>' in hit for hit in hits)
    twin = sample_app.test_client().get("/zh-hans/search.json", query_string={"q": "营业执照"}).get_json()
    assert twin["items"][0]["snippets"][0] == {"label": "办理结果名称", "text": "营业执照", "html": "<mark>营业执照</mark>"}
    en = sample_app.test_client().get("/en/search", query_string={"q": "营业执照"}).get_data(as_text=True)
    assert '<span class="hit-field">Result</span>' in en


def test_the_search_page_has_one_search_box(sample_app):
    html = sample_app.test_client().get("/zh-hans/search", query_string={"q": "低保"}).get_data(as_text=True)
    assert html.count('role="search"') == 1 and html.count('type="search"') == 1
    other = sample_app.test_client().get("/zh-hans/powers/").get_data(as_text=True)
    assert other.count('role="search"') == 1  # every other page keeps the header's box


def test_a_raw_utf8_query_string_gets_results(sample_app):
    # What curl sends for '…/search?q=营业执照': the bytes themselves, not %-escapes.
    environ = EnvironBuilder(path="/zh-hans/search").get_environ()
    environ["QUERY_STRING"] = "q=营业执照".encode().decode("latin-1")  # PEP 3333: bytes as latin-1
    page = sample_app.test_client().open(environ)
    assert page.status_code == 200
    assert titles(page.get_data(as_text=True))[0] == "企业设立登记"


@pytest.mark.skipif(not shutil.which("gunicorn", path=str(Path(sys.executable).parent)), reason="no gunicorn")
def test_the_server_accepts_a_raw_utf8_request_line(tmp_path):
    # Gunicorn refuses non-ASCII request lines unless started as scripts/serve starts it.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = tmp_path / "echo_app.py"
    app.write_text("def app(environ, start):\n"
                   "    start('200 OK', [('Content-Type', 'text/plain; charset=utf-8')])\n"
                   "    return [environ['QUERY_STRING'].encode('latin-1')]\n")
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--config",
                               str(ROOT / "scripts" / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
                               "echo_app:app"], cwd=tmp_path, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        with connection:
            connection.sendall("GET /zh-hans/search?q=营业执照 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                               .encode())
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
    finally:
        server.terminate()
        server.wait()
    assert answer.startswith(b"HTTP/1.1 200") and "q=营业执照".encode() in answer


def test_the_dictionary_names_lines_it_cannot_use():
    found = synonyms.parse("说法,也搜,备注\n低保,最低生活保障,简称\n低,最低,\n社保卡,,\n低保,低收入,\n")
    assert found.entries == {"低保": ["最低生活保障"]}
    assert found.problems == ["第 3 行:“说法”至少两个字", "第 4 行:“也搜”为空", "第 5 行:“低保”重复出现"]
    assert synonyms.parse("word,means\n").problems == ["第 1 行:表头应为“说法,也搜”"]


def test_the_sample_dictionary_is_clean_and_checked_by_setup(sample_app):
    assert synonyms.load(CONTENT).problems == []
    result = sample_app.test_cli_runner().invoke(args=["search", "synonyms"])
    assert result.exit_code == 0 and "everyday words" in result.output


def test_an_edited_dictionary_applies_without_a_restart(tmp_path):
    (tmp_path / "search").mkdir()
    path = tmp_path / "search" / "synonyms.csv"
    path.write_text("说法,也搜\n低保,最低生活保障\n", encoding="utf-8")
    assert synonyms.alternatives("低保", synonyms.load(tmp_path).entries) == ["最低生活保障"]
    path.write_text("说法,也搜\n低保,最低生活保障;低收入\n", encoding="utf-8")
    os.utime(path, (time.time() + 5, time.time() + 5))
    assert synonyms.alternatives("低保待遇", synonyms.load(tmp_path).entries) == ["最低生活保障待遇", "低收入待遇"]
