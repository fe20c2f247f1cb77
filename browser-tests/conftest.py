"""pytest fixtures for AnyDoor's browser journeys.

Environment (set by scripts/test):
  ANYDOOR_BASE_URL          the AnyDoor server on embedded SQLite with demo data
  ANYDOOR_PG_BASE_URL       a second AnyDoor server on the throwaway PostgreSQL (test_outage.py)
  ANYDOOR_TEST_ADMIN_TOKEN  the admin token both servers were started with
  ANYDOOR_TEST_PG_*         how to stop/start that PostgreSQL (see test_outage.py)

Helpers live in anydoor_browser.py; they are re-exported here for convenience:
  visit(driver, base_url, path)  load a page and check it with axe (WCAG 2.1 A/AA)
  assert_accessible(driver)      check the current page with axe
"""

from __future__ import annotations

import os

import pytest

from anydoor_browser import (  # noqa: F401  (re-exported for tests)
    assert_accessible,
    axe_file_version,
    axe_runtime_version,
    make_driver,
    visit,
)


@pytest.fixture(scope="session")
def base_url() -> str:
    url = os.environ.get("ANYDOOR_BASE_URL")
    if not url:
        pytest.skip("ANYDOOR_BASE_URL is not set (run through scripts/test)")
    return url.rstrip("/")


@pytest.fixture(scope="session")
def admin_token() -> str:
    token = os.environ.get("ANYDOOR_TEST_ADMIN_TOKEN")
    if not token:
        pytest.skip("ANYDOOR_TEST_ADMIN_TOKEN is not set (run through scripts/test)")
    return token


@pytest.fixture(scope="session")
def driver():
    """One headless Chromium for the whole session; axe 4.x is checked once when it starts."""
    version = axe_file_version()
    assert version.startswith("4."), f"axe-core 4.x required, found {version}"
    drv = make_driver()
    try:
        drv.get("about:blank")
        runtime = axe_runtime_version(drv)
        assert runtime.startswith("4."), f"axe-core 4.x required, the page reports {runtime}"
        yield drv
    finally:
        drv.quit()


@pytest.fixture(autouse=True)
def _fresh_browser_state(request):
    """Each test starts signed out: cookies from an earlier test must not leak into the next one."""
    yield
    if "driver" in request.fixturenames:
        drv = request.getfixturevalue("driver")
        try:
            drv.delete_all_cookies()
        except Exception:  # the browser may be on about:blank or a data: URL
            pass
