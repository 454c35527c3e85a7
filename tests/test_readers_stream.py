"""CSV uploads are decoded and parsed a piece at a time: the same rows, the same errors, any size.

The pieces are made tiny here (`textstream.CHUNK`), so that line breaks, \\r\\n
pairs, quoted cells and multi-byte characters fall across their edges.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.extensions import db
from portal.ingest import limits, textstream
from portal.ingest.csvfile import read_csv as read_csv_file
from portal.ingest.readers import ReadError, read
from portal.models import StoredFile, Upload
from portal.schemas import KINDS
from tests.conftest import FIXTURE_CITY
from tests.desk_helpers import csv_bytes, log_in, read_csv, upload
from tests.helpers import visible_text

POWERS = KINDS["powers"]
FIXTURE_POWERS = FIXTURE_CITY / "disclosures/99010001FG/powers.csv"

cells = st.text(st.sampled_from(list('ab,"\r\n 许可𠮷\ufeff')), max_size=12)


@pytest.fixture
def tiny_pieces(monkeypatch):
    monkeypatch.setattr(textstream, "CHUNK", 5)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=6),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]), chunk=st.integers(1, 9),
       ending=st.sampled_from(["\r\n", "\n", "\r"]))
def test_streamed_lines_parse_as_the_whole_text_does(rows, encoding, chunk, ending):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=ending).writerows(rows)
    text = buffer.getvalue()
    data = text.encode(encoding)
    expected = text.lstrip("\ufeff")  # a BOM, and any left as text, are dropped
    original, textstream.CHUNK = textstream.CHUNK, chunk
    try:
        streamed = list(textstream.lines(data))
    finally:
        textstream.CHUNK = original
    assert "".join(streamed) == expected
    assert all(line.endswith(("\r", "\n")) for line in streamed[:-1])
    whole = csv.reader(io.StringIO(expected, newline=""), strict=True)
    assert list(csv.reader(streamed, strict=True)) == list(whole)


def test_a_gbk_file_whose_first_chinese_is_far_down_reads_right(city_app, tiny_pieces):
    rows = "".join(f"99010000FG-XK-{n:04d},name\r\n" for n in range(1, 200))
    data = b"code,name\r\n" + rows.encode() + "99010000FG-XK-0200,行政许可事项\r\n".encode("gbk")
    with city_app.app_context():
        sheet = read("a.csv", data, POWERS)
    assert len(sheet.rows) == 200
    assert sheet.rows[-1] == (201, {"code": "99010000FG-XK-0200", "name": "行政许可事项"})


def test_a_bad_byte_far_down_is_refused_naming_its_line(city_app, tiny_pieces):
    data = "事项编码,事项名称\n".encode() + b"a,b\r\n" * 300 + b"c,\x80\xff\n" + b"d,e\n"
    with city_app.app_context(), pytest.raises(ReadError) as caught:
        read("a.csv", data, POWERS)
    with city_app.app_context():  # the message is rendered in the app's default locale
        assert str(caught.value) == "无法识别文件编码（第 302 行有无法解码的字节），请另存为 UTF-8 或 GBK 编码"


def test_a_bad_byte_after_a_bom_is_refused_not_read_as_gbk(city_app, tiny_pieces):
    data = b"\xef\xbb\xbf" + "事项编码,事项名称\na,".encode() + "许可".encode("gbk") + b"\n"
    with city_app.app_context(), pytest.raises(ReadError) as caught:
        read("a.csv", data, POWERS)
    with city_app.app_context():  # the message is rendered in the app's default locale
        assert str(caught.value) == "无法识别文件编码（第 2 行有无法解码的字节），请另存为 UTF-8 或 GBK 编码"


def test_a_binary_file_object_reads_as_its_bytes_do(city_app, tiny_pieces):
    data = "\ufeff\ufeff事项编码,事项名称\r\na,\"两\r\n行\"\r\n".encode("utf-8")
    with city_app.app_context():
        assert read("a.csv", data, POWERS).rows == [(2, {"事项编码": "a", "事项名称": "两\r\n行"})]
        assert read_csv_file(io.BytesIO(data), POWERS) == read("a.csv", data, POWERS)


# --- through the desk: the uploader's language, and nothing stored ---------------------------


def _refused_in_english(desk, data: bytes) -> str:
    client = desk.test_client()
    log_in(client, "fg", lang="en")
    response = upload(client, data, lang="en")
    assert response.status_code == 422
    with desk.app_context():
        assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
        assert db.session.scalar(select(func.count()).select_from(Upload)) == 0
    return visible_text(response.get_data(as_text=True))


def _many_rows(count: int) -> tuple[list[str], list[dict]]:
    headers, rows = read_csv(FIXTURE_POWERS)
    return headers, [{**rows[0], "事项编码": f"99010001FG-XK-{n:04d}"} for n in range(1, count + 1)]


def test_a_file_in_no_accepted_encoding_is_refused_in_the_users_language(desk, tiny_pieces):
    headers, rows = _many_rows(50)
    data = csv_bytes(headers, rows) + b"99010001FG-XK-9999,\x80\xff\r\n"
    text = _refused_in_english(desk, data)
    assert "The file's text encoding cannot be recognised (line 52 has bytes that cannot be decoded)" in text


def test_a_malformed_row_far_down_is_refused_in_the_users_language(desk, tiny_pieces):
    headers, rows = _many_rows(40)
    data = csv_bytes(headers, rows) + "99010001FG-XK-9999,\"未结束\r\n".encode()
    text = _refused_in_english(desk, data)
    assert "CSV format error: a quotation mark in row 42 is never closed" in text


def test_a_ragged_row_is_refused_in_the_users_language(desk, tiny_pieces):
    headers, rows = _many_rows(3)
    text = _refused_in_english(desk, csv_bytes(headers, rows) + b"a,b\r\n")
    assert f"Row 5 has 2 columns but the header has {len(headers)}" in text


def test_a_file_of_too_many_rows_is_refused_in_the_users_language(desk, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 200)
    headers, rows = _many_rows(201)
    text = _refused_in_english(desk, csv_bytes(headers, rows))
    assert "The data has more than 200 rows. Split it into several files and upload them one by one" in text
