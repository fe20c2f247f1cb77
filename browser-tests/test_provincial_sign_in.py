"""Sign-in with the provincial identity provider over OpenID Connect, end to end in Chromium against a
real provider run locally (oidc-provider-mock, started by scripts/test): discovery, authorization code
with PKCE, state and nonce, RS256 ID token checked against the provider's JWKS, account creation and
the asserted identity level recorded."""

from __future__ import annotations

import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from anydoor_browser import assert_accessible, visit


@pytest.fixture()
def issuer() -> str:
    value = os.environ.get("ANYDOOR_TEST_OIDC_ISSUER")
    if not value:
        pytest.skip("ANYDOOR_TEST_OIDC_ISSUER is not set (run through scripts/test)")
    return value


def test_a_person_signs_in_with_the_provincial_identity_provider_and_their_level_is_recorded(driver, base_url, issuer):
    visit(driver, base_url, "/sign-in")
    driver.find_element(By.LINK_TEXT, "Sign in with BC Services Card").click()
    # At the provider (a third-party page, not scanned): choose the predefined person.
    WebDriverWait(driver, 10).until(EC.url_contains(issuer))
    driver.find_element(By.CSS_SELECTOR, "button[name='sub'][value='bcsc-journey-1']").click()
    WebDriverWait(driver, 10).until(EC.url_to_be(f"{base_url}/account"))
    assert_accessible(driver)
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "Olive Provincial" in main
    assert "Level 2: confirmed" in main
    # The provider asserted level 2, so the session counts as two factors: personal pages open directly.
    visit(driver, base_url, "/account/who-looked")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Who looked at your information"


def test_a_replayed_callback_is_refused(driver, base_url, issuer):
    visit(driver, base_url, "/sign-in/provincial/callback?code=forged&state=forged")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Sign-in did not work"
