"""Every remaining page of the identity and privacy part, visited with an axe scan (WCAG 2.1 A/AA) in
English and in a right-to-left language: consents, corrections, download, step-up and prove-identity
pages, password reset, and the privacy officer's correction queue."""

from __future__ import annotations

import json

import pytest
import requests
from selenium.webdriver.common.by import By

from anydoor_browser import assert_accessible, visit
from journey_helpers import (
    another_browser,
    demo_staff_totp_key,
    form_with_action,
    heading,
    register,
    register_with_two_factor,
    staff_sign_in,
    submit_and_check,
    unique_email,
)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_privacy_pages_are_accessible_and_work(driver, base_url, lang):
    register_with_two_factor(driver, base_url, name="Pat Privacy", email=unique_email())
    # Choosing a language while signed in saves it: every following page is in it.
    visit(driver, base_url, f"/account/consents?lang={lang}")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    form = form_with_action(driver, "/account/consents")
    form.find_element(By.CSS_SELECTOR, "input[value='HLTH']").click()
    submit_and_check(driver, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))
    assert_accessible(driver)
    assert driver.find_element(By.CSS_SELECTOR, "input[value='HLTH']").is_selected()

    visit(driver, base_url, "/account/corrections")
    form = form_with_action(driver, "/account/corrections")
    submit_and_check(driver, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))
    assert_accessible(driver)  # the error summary and field errors
    assert driver.find_elements(By.CSS_SELECTOR, ".error-summary a")

    visit(driver, base_url, "/account/prove-identity?level=3")
    visit(driver, base_url, "/password-reset")
    # The download is an attachment; fetch it with the browser's own session.
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    export = requests.get(f"{base_url}/account/export", headers={"Cookie": cookies}, timeout=10, allow_redirects=False)
    assert export.status_code == 200
    assert export.headers["Content-Disposition"].startswith("attachment")
    assert json.loads(export.text)["profile"]["name"] == "Pat Privacy"


def test_a_one_factor_person_is_stepped_up_on_an_accessible_page(driver, base_url):
    register(driver, base_url, name="Sam Single", email=unique_email())
    visit(driver, base_url, "/account/who-looked")
    # No second factor yet: sent to set one up, never simply refused.
    assert "/account/two-factor" in driver.current_url
    assert_accessible(driver)


def test_the_privacy_officers_queue_is_accessible(base_url):
    with another_browser() as staff_driver:
        staff_sign_in(staff_driver, base_url, {"email": "privacy@demo.anydoor.ca", "totp_key": demo_staff_totp_key("PRIVACYOFFICER"), "name": "Quinn Privacy"})
        visit(staff_driver, base_url, "/staff/corrections")
        assert heading(staff_driver) == "Correction requests"
        visit(staff_driver, base_url, "/staff/people")
