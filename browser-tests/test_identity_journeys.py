"""Journeys through a person's account: register, confirm the email address from the development
mailbox, turn on an authenticator app (TOTP), sign out and back in with both steps; a wrong password;
and registration in Farsi (right to left). Every page shown is scanned with axe (WCAG 2.1 A/AA).

The TOTP codes are computed as an authenticator app would (journey_helpers.py; RFC 6238: HMAC-SHA-1,
30-second steps, 6 digits), from the key in the page's otpauth:// link.

Cookies: the session (`__Host-anydoor-session`) and pre-session CSRF (`__Host-anydoor-csrf`) cookies
are Secure. Chromium treats http://127.0.0.1 as a potentially trustworthy origin, so it stores and sends
them over plain HTTP in these tests; test_secure_cookies_are_kept_on_the_loopback_address checks it.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from anydoor_browser import visit
from journey_helpers import (
    CSRF_COOKIE,
    PASSWORD,
    SESSION_COOKIE,
    button_labelled,
    current_step,
    fill,
    form_with_action,
    heading,
    main_text,
    path_of,
    register,
    sign_in,
    sign_out,
    submit_and_check,
    totp_code,
    unique_email,
    verification_link,
    wait_for_step_after,
)


# --------------------------------------------------------------------------------------------------
# Journeys
# --------------------------------------------------------------------------------------------------
def test_secure_cookies_are_kept_on_the_loopback_address(driver, base_url):
    """The __Host- cookies are Secure; Chromium must keep them on http://127.0.0.1 for the journeys to work."""
    visit(driver, base_url, "/register")
    cookies = {c["name"]: c for c in driver.get_cookies()}
    assert CSRF_COOKIE in cookies, f"Chromium refused the Secure CSRF cookie on {base_url}: {cookies}"
    csrf = cookies[CSRF_COOKIE]
    assert csrf["secure"] is True and csrf["path"] == "/" and csrf["sameSite"] == "Strict"
    assert "domain" not in csrf or csrf["domain"] == urlsplit(base_url).hostname  # host-only (__Host-)


def test_a_person_registers_confirms_the_email_turns_on_two_factor_and_signs_in_with_a_code(driver, base_url):
    email = unique_email()
    name = "Avery Journey"

    # Register: the person is signed in straight away and told to check their email.
    register(driver, base_url, name=name, email=email)
    assert heading(driver) == "Check your email"
    session = {c["name"]: c for c in driver.get_cookies()}.get(SESSION_COOKIE)
    assert session is not None, "no session cookie after registering"
    assert session["secure"] is True and session["httpOnly"] is True and session["sameSite"] == "Lax"

    # Confirm the address from the development mailbox.
    link = verification_link(driver, base_url, email)
    assert "/verify-email/" in link.get_attribute("href")
    submit_and_check(driver, link)
    assert heading(driver) == "Email address confirmed"

    # Turn on the authenticator app with the key from the otpauth:// link.
    visit(driver, base_url, "/account/two-factor")
    otpauth = driver.find_element(By.CSS_SELECTOR, "main a[href^='otpauth://']").get_attribute("href")
    query = parse_qs(urlsplit(otpauth).query)
    secret = query["secret"][0]
    typed_key = driver.find_element(By.CSS_SELECTOR, "main code.secret").text.replace(" ", "")
    assert typed_key == secret, "the key to type in differs from the one in the otpauth:// link"
    setup_step = current_step()
    form = form_with_action(driver, "/account/two-factor")
    fill(form, {"code": totp_code(secret, setup_step)})
    submit_and_check(driver, button_labelled(form, "Turn on"))
    assert heading(driver) == "Save your recovery codes", main_text(driver)[:1000]
    codes = [c.text.strip() for c in driver.find_elements(By.CSS_SELECTOR, "main ul.recovery-codes li code")]
    assert len(codes) == 10 and len(set(codes)) == 10 and all(codes), codes
    submit_and_check(driver, driver.find_element(By.LINK_TEXT, "I have saved my codes"))
    assert path_of(driver) == "/account"
    assert "On (authenticator app)" in main_text(driver)

    # Sign out, then sign in again: password first, then a fresh code.
    sign_out(driver)
    sign_in(driver, base_url, email=email, password=PASSWORD)
    assert path_of(driver) == "/sign-in/code", driver.current_url
    step = wait_for_step_after(setup_step)  # the set-up step is spent
    form = form_with_action(driver, "/sign-in/code")
    fill(form, {"code": totp_code(secret, step)})
    submit_and_check(driver, button_labelled(form, "Continue"))
    assert path_of(driver) == "/account", f"{driver.current_url}\n{main_text(driver)[:1000]}"
    assert heading(driver) == "Your account"
    text = main_text(driver)
    assert name in text
    assert email in text
    assert "On (authenticator app)" in text


def test_signing_in_with_a_wrong_password_explains_the_problem_accessibly(driver, base_url):
    email = unique_email()
    register(driver, base_url, name="Blair Journey", email=email)
    assert heading(driver) == "Check your email"
    visit(driver, base_url, "/account")  # the header of the page just after registering has no "Sign out" yet
    sign_out(driver)

    sign_in(driver, base_url, email=email, password="not the right password at all")  # scanned by axe
    assert path_of(driver) == "/sign-in"
    summary = driver.find_element(By.CSS_SELECTOR, "main .error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.find_element(By.CSS_SELECTOR, "h2").text.strip() == "There is a problem"
    summary_link = summary.find_element(By.CSS_SELECTOR, "ul a")
    assert summary_link.text.strip() == "The email address or password is not right."
    target_id = summary_link.get_attribute("href").split("#", 1)[1]
    target = driver.find_element(By.ID, target_id)
    assert target.get_attribute("name") == "email"
    assert target.get_attribute("aria-invalid") == "true"
    field_error = driver.find_element(By.ID, f"{target_id}-error")
    assert "The email address or password is not right." in field_error.text
    assert f"{target_id}-error" in (target.get_attribute("aria-describedby") or "").split()
    assert target.get_attribute("value") == email  # the email is kept, the password is not
    assert driver.find_element(By.CSS_SELECTOR, "main input[name='password']").get_attribute("value") == ""
    # The summary's link moves the person to the field.
    summary_link.click()
    WebDriverWait(driver, 5).until(lambda d: d.switch_to.active_element.get_attribute("id") == target_id)
    assert SESSION_COOKIE not in {c["name"] for c in driver.get_cookies()}


def test_a_person_registers_in_farsi(driver, base_url):
    visit(driver, base_url, "/register?lang=fa")
    html = driver.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == "fa"
    assert html.get_attribute("dir") == "rtl"
    form = form_with_action(driver, "/register")
    fill(form, {"name": "مریم احمدی", "email": unique_email(), "password": PASSWORD})
    submit_and_check(driver, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))
    # Registration worked: the person is signed in.
    assert SESSION_COOKIE in {c["name"] for c in driver.get_cookies()}, main_text(driver)[:1000]
    assert driver.find_elements(By.CSS_SELECTOR, "main .error-summary") == [], main_text(driver)[:1000]
    # ... and the confirmation page is still in Farsi: marked as Farsi, right to left, and translated.
    html = driver.find_element(By.TAG_NAME, "html")
    problems = []
    if (html.get_attribute("lang"), html.get_attribute("dir")) != ("fa", "rtl"):
        problems.append(f"the confirmation page is <html lang={html.get_attribute('lang')!r} dir={html.get_attribute('dir')!r}>, "
                        f"not lang='fa' dir='rtl' ({driver.current_url})")
    if heading(driver) == "Check your email":
        problems.append("its <h1> is still the English 'Check your email'")
    assert not problems, "after registering in Farsi: " + "; ".join(problems)
