"""Self-test of the browser machinery: Chromium starts, axe-core 4.x runs and catches a violation.

Uses data: URLs only, so it needs no AnyDoor server. If this fails, every other journey's
accessibility check would be meaningless.
"""

from __future__ import annotations

import urllib.parse

import pytest

from anydoor_browser import assert_accessible, axe_runtime_version

GOOD = """<!doctype html><html lang="en"><head><title>Good page</title></head>
<body><main><h1>Good</h1><img src="data:," alt="A blank picture"><a href="#x">Read more about x</a></main></body></html>"""

# An image without alt text and a page without lang: WCAG 2.1 A failures axe must report.
BAD = """<!doctype html><html><head><title>Bad page</title></head>
<body><main><h1>Bad</h1><img src="data:,"></main></body></html>"""


def _load(driver, html: str) -> None:
    driver.get("data:text/html;charset=utf-8," + urllib.parse.quote(html))


def test_axe_is_version_4(driver):
    assert axe_runtime_version(driver).startswith("4.")


def test_clean_page_passes(driver):
    _load(driver, GOOD)
    assert_accessible(driver)


def test_violations_are_reported(driver):
    _load(driver, BAD)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(driver)
    message = str(failure.value)
    assert "image-alt" in message
    assert "html-has-lang" in message
