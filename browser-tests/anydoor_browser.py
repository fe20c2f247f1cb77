"""Shared helpers for AnyDoor's browser journeys: Chromium through selenium, and axe-core 4.x checks.

Tests normally use the fixtures in conftest.py (`driver`, `base_url`) and these two helpers:

    from anydoor_browser import visit, assert_accessible

    def test_catalogue(driver, base_url):
        visit(driver, base_url, "/services")      # loads the page AND checks it with axe
        ...
        driver.find_element(...).click()
        assert_accessible(driver)                  # check again after the page changed
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get("ANYDOOR_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("ANYDOOR_CHROMEDRIVER", "/usr/bin/chromedriver")

# WCAG 2.1 level A and AA: what DESIGN.md promises for every page.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# --------------------------------------------------------------------------------------------------
# axe-core
# --------------------------------------------------------------------------------------------------
def axe_path() -> Path:
    """The axe-core 4.x script to inject.

    It comes from the wheel axe-playwright-python (installed with --no-deps, see
    requirements-nodeps.txt), which bundles axe.min.js inside its package folder. We only locate the
    package (find_spec does not import it, so playwright is not needed). ANYDOOR_AXE_JS overrides.
    """
    override = os.environ.get("ANYDOOR_AXE_JS")
    if override:
        return Path(override)
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "axe_playwright_python is not installed: "
            "pip install --no-deps -r browser-tests/requirements-nodeps.txt"
        )
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).rglob("axe.min.js"))
        if found:
            return found[0]
    raise RuntimeError("axe.min.js not found inside the axe_playwright_python package")


_axe_source: str | None = None


def axe_source() -> str:
    """The axe script's text, read once, after checking that it is axe 4.x."""
    global _axe_source
    if _axe_source is None:
        text = axe_path().read_text(encoding="utf-8")
        version = _file_version(text)
        if not version.startswith("4."):
            raise RuntimeError(f"{axe_path()} is axe {version}; axe-core 4.x is required (WCAG 2.1 rules)")
        _axe_source = text
    return _axe_source


def _file_version(text: str) -> str:
    match = re.search(r"/\*!\s*axe v(\d+\.\d+\.\d+)", text[:500])
    return match.group(1) if match else "unknown"


def axe_file_version() -> str:
    """Version in the header of the bundled axe.min.js (e.g. '4.12.1')."""
    return _file_version(axe_path().read_text(encoding="utf-8")[:500])


def _inject_axe(driver) -> None:
    if not driver.execute_script("return typeof window.axe === 'object' && typeof window.axe.run === 'function';"):
        driver.execute_script(axe_source())


def axe_runtime_version(driver) -> str:
    """axe.version as reported inside the page (injects axe if needed)."""
    _inject_axe(driver)
    return driver.execute_script("return window.axe.version;")


_AXE_RUN = """
const done = arguments[arguments.length - 1];
const tags = arguments[0];
window.axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(function (results) {
    done({violations: results.violations.map(function (v) {
      return {
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        count: v.nodes.length,
        nodes: v.nodes.slice(0, 3).map(function (n) {
          return {target: n.target.join(' '), summary: n.failureSummary || ''};
        })
      };
    })});
  })
  .catch(function (e) { done({error: String(e && e.stack || e)}); });
"""


def axe_violations(driver, tags: list[str] | None = None) -> list[dict]:
    """Run axe on the current page and return its violations (empty list when clean)."""
    _inject_axe(driver)
    result = driver.execute_async_script(_AXE_RUN, tags or AXE_TAGS)
    if result is None or "error" in result:
        raise RuntimeError(f"axe.run failed on {driver.current_url}: {result and result.get('error')}")
    return result["violations"]


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) (axe, WCAG 2.1 AA) on {url}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['count']} element(s)) {v['helpUrl']}")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}")
            for detail in node["summary"].splitlines():
                if detail.strip():
                    lines.append(f"       {detail.strip()}")
    return "\n".join(lines)


def assert_accessible(driver, tags: list[str] | None = None) -> None:
    """Fail with a readable list if axe finds any WCAG 2.1 A/AA violation on the current page."""
    violations = axe_violations(driver, tags)
    if violations:
        raise AssertionError(format_violations(driver.current_url, violations))


# --------------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------------
def make_driver() -> webdriver.Chrome:
    """Headless Chromium from Debian's packages (chromium, chromium-driver), 1280x900."""
    # Never let Selenium Manager try to download a browser or driver (no network here).
    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",               # required when running as root
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--disable-gpu",
        "--disable-extensions",
        "--no-first-run",
        "--lang=en-CA",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)  # axe.run on a big page
    return driver


def wait_for_load(driver, timeout: float = 15) -> None:
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def visit(driver, base_url: str, path: str, *, check_accessibility: bool = True):
    """Load base_url + path, wait for it, and check it with axe (every visited page is scanned)."""
    url = path if re.match(r"^[a-z]+:", path) else base_url.rstrip("/") + "/" + path.lstrip("/")
    driver.get(url)
    wait_for_load(driver)
    if check_accessibility:
        assert_accessible(driver)
    return driver
