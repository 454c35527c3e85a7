"""The package's layers point one way (the contract is in pyproject.toml), and requests are read one way."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).parent.parent


def test_imports_point_down_the_layers():
    cwd = os.getcwd()
    # import-linter configures logging with dictConfig, which disables every logger that exists
    # already (the app's among them): the tests after this one would no longer see its errors.
    enabled = [logger for logger in logging.Logger.manager.loggerDict.values()
               if isinstance(logger, logging.Logger) and not logger.disabled]
    os.chdir(ROOT)  # the contract lives in the project's pyproject.toml
    try:
        assert lint_imports(no_cache=True) == 0, "run `lint-imports` to see which import breaks the layers"
    finally:
        os.chdir(cwd)
        for logger in enabled:
            logger.disabled = False


@pytest.mark.parametrize("page", ["²", "٣", "0", "-1", "1e3", "99999999999999999999", "1.0", " 1", "%00"])
@pytest.mark.parametrize("path", ["/zh-hans/powers/", "/zh-hans/powers.json", "/zh-hans/changes/",
                                  "/zh-hans/changes/revisions/", "/zh-hans/search", "/zh-hans/feeds/changes.atom"])
def test_one_page_number_parser_answers_404_to_junk(client, path, page):
    assert client.get(path, query_string={"page": page}).status_code == 404


@pytest.mark.parametrize("path", [
    "/zh-hans/appraisals/99999999999999999999/", "/zh-hans/appraisals/9223372036854775808.json",
    "/zh-hans/changes/99010001FG/powers/99999999999999999999/",
])
def test_ids_too_large_for_the_database_are_not_found(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("name", ["lang", "endpoint", "fmt", "_method", "_external", "values", "code"])
def test_query_parameters_named_like_url_arguments_break_no_page(client, name):
    for path in ("/zh-hans/powers/", "/zh-hans/powers/99010001FG-XK-0001/", "/zh-hans/departments/"):
        response = client.get(path, query_string={name: "x"})
        assert response.status_code == 200, (path, name)
