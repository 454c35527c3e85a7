"""Real validators over every page type in the three languages: axe-core in Chromium at a
phone's and a desktop's width (no serious or critical violation), and the Nu Html Checker
(no error). Both come from npm (tests/validators, installed by scripts/test)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser_support import LOCALES, PAGE_TYPES, changed_city, chromium, needs_chromium, served

TOOLS = Path(__file__).parent / "validators" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
needs_tools = pytest.mark.skipif(not AXE.exists() or not VNU.exists(),
                                 reason="the validators are not installed (npm ci in tests/validators)")
pytestmark = pytest.mark.browser
AXE_WIDTHS = (390, 1280)
# axe takes one to three seconds a page here: it checks one page of each template at both
# widths in every language; the Nu Html Checker, fast, reads every page type.
AXE_PAGES = ("home", "department", "services", "service", "complaint", "appraisal year", "changes",
             "revision with a diff", "dataset", "api", "search")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """The fixture city with one changed service guide, so that a diff is among the pages."""
    return changed_city(tmp_path_factory.mktemp("validators"))


@needs_chromium
@needs_tools
def test_axe_finds_no_serious_or_critical_violation(city):
    found = []
    with served(city) as base, chromium() as browser:
        for width in AXE_WIDTHS:
            # The CSP forbids inline scripts, rightly; axe is the one script the test adds.
            page = browser.new_page(viewport={"width": width, "height": 900}, bypass_csp=True)
            for lang in LOCALES:
                for name in AXE_PAGES:
                    page.goto(f"{base}/{lang}{PAGE_TYPES[name]}")
                    page.add_script_tag(path=str(AXE))
                    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                    for v in result["violations"]:
                        if v["impact"] in ("serious", "critical"):
                            targets = [n["target"] for n in v["nodes"][:3]]
                            found.append(f"{width}px {lang} {name}: {v['id']} ({v['impact']}) {targets}")
            page.close()
    assert not found, "\n".join(found)


@needs_tools
@pytest.mark.skipif(not shutil.which("java"), reason="Java is not installed")
def test_the_nu_html_checker_finds_no_error(city, tmp_path):
    client = city.test_client()
    files = {}
    for lang in LOCALES:
        for name, path in PAGE_TYPES.items():
            response = client.get(f"/{lang}{path}")
            assert response.status_code == 200, (lang, path)
            target = tmp_path / f"{lang}-{name.replace(' ', '-')}.html"
            target.write_bytes(response.get_data())
            files[target.name] = f"/{lang}{path}"
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", str(tmp_path)],
                         capture_output=True, text=True, timeout=600)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [f"{files.get(Path(m.get('url', '')).name, m.get('url'))} line {m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") == "error"]
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors[:40])
