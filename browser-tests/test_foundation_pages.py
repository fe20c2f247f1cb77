"""Journeys through the foundation's pages: a person finds the ministries, switches language, and
lands on a page that does not exist. Every page visited is scanned with axe (WCAG 2.1 A/AA)."""

from __future__ import annotations

import json
import re

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from anydoor_browser import visit

LANGUAGES = ["en", "fr", "zh-Hans", "zh-Hant", "pa", "tl", "ko", "fa", "ar", "vi", "es", "hi", "ja", "uk"]
RTL = {"fa", "ar"}


def test_a_person_goes_from_the_home_page_to_the_list_of_ministries(driver, base_url):
    visit(driver, base_url, "/")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Get government services your way"
    driver.find_element(By.CSS_SELECTOR, "main a[href='/ministries']").click()
    assert driver.current_url.endswith("/ministries")
    rows = driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    assert len(rows) == 25
    assert "Ministry of Citizens' Services" in driver.find_element(By.TAG_NAME, "main").text
    visit(driver, base_url, "/ministries")


def test_the_skip_link_is_the_first_thing_a_keyboard_reaches_and_moves_focus_to_the_content(driver, base_url):
    visit(driver, base_url, "/ministries")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    focused = driver.switch_to.active_element
    assert focused.get_attribute("class") == "skip-link"
    assert focused.is_displayed()
    focused.send_keys(Keys.ENTER)
    assert driver.current_url.endswith("#main")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_renders_the_home_page_translated_with_lang_and_dir(driver, base_url, lang):
    english = requests.get(f"{base_url}/?lang=en", timeout=10).text
    english_heading = re.search(r"<h1>(.*?)</h1>", english).group(1)
    visit(driver, base_url, f"/?lang={lang}")
    html = driver.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == ("rtl" if lang in RTL else "ltr")
    heading = driver.find_element(By.TAG_NAME, "h1").text
    if lang == "en":
        assert heading == english_heading
    else:
        assert heading != english_heading, f"{lang} home page heading is still English"


def test_the_language_switcher_keeps_the_person_on_the_same_page(driver, base_url):
    visit(driver, base_url, "/ministries")
    driver.find_element(By.CSS_SELECTOR, ".language-switcher a[hreflang='fr']").click()
    assert driver.current_url.endswith("/ministries?lang=fr")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert "Ministère des Services aux citoyens" in driver.find_element(By.TAG_NAME, "main").text
    visit(driver, base_url, "/ministries?lang=fa")
    # Every demo ministry has a (drafted) Farsi name; a name shown in English would be marked lang="en".
    assert driver.find_elements(By.CSS_SELECTOR, "main tbody th[lang='en']") == []
    assert "Ministry of" not in driver.find_element(By.TAG_NAME, "main").text


def test_a_missing_page_explains_itself_and_shows_the_request_id(driver, base_url):
    visit(driver, base_url, "/this/does/not/exist")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Page not found"
    reference = driver.find_element(By.CSS_SELECTOR, ".request-id").text
    assert re.fullmatch(r"[0-9a-f]{32}", reference)
    response = requests.get(f"{base_url}/this/does/not/exist", timeout=10)
    assert response.status_code == 404
    assert response.headers["X-Request-Id"] != reference  # a new id for each request


def test_an_administrator_adds_a_ministry_through_the_api_and_it_appears_on_the_page(driver, base_url, admin_token):
    body = {"code": "BRWSR", "names": {"en": "Ministry of Browser Journeys", "fr": "Ministère des parcours"}}
    created = requests.post(f"{base_url}/api/v1/ministries", data=json.dumps(body),
                            headers={"Content-Type": "application/json", "Authorization": f"Bearer {admin_token}"}, timeout=10)
    assert created.status_code == 201, created.text
    visit(driver, base_url, "/ministries?lang=fr")
    assert "Ministère des parcours" in driver.find_element(By.TAG_NAME, "main").text
