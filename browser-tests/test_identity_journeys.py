"""Journeys through a person's account: register, confirm the email address from the development
mailbox, turn on an authenticator app (TOTP), sign out and back in with both steps; a wrong password;
and registration in Farsi (right to left). Every page shown is scanned with axe (WCAG 2.1 A/AA).

The TOTP codes are computed here as an authenticator app would (RFC 6238: HMAC-SHA-1, 30-second
steps, 6 digits), from the key in the page's otpauth:// link.

Cookies: the session (`__Host-anydoor-session`) and pre-session CSRF (`__Host-anydoor-csrf`) cookies
are Secure. Chromium treats http://127.0.0.1 as a potentially trustworthy origin, so it stores and sends
them over plain HTTP in these tests; test_secure_cookies_are_kept_on_the_loopback_address checks it.
"""

from __future__ import annotations

import base64
import hmac
import struct
import time
import uuid
from urllib.parse import parse_qs, urlsplit

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from anydoor_browser import assert_accessible, visit

# Long, unrelated words: passes the password policy (15+ characters, not common, not the email).
PASSWORD = "amber kettle harbour violin 7391"
TOTP_STEP_SECONDS = 30
SESSION_COOKIE = "__Host-anydoor-session"
CSRF_COOKIE = "__Host-anydoor-csrf"


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------
def unique_email() -> str:
    return f"journey-{uuid.uuid4().hex}@example.com"


def totp_code(secret_base32: str, step: int) -> str:
    """RFC 6238 TOTP for time step `step` (RFC 4226 HOTP with the step as the counter): SHA-1, 6 digits."""
    cleaned = secret_base32.replace(" ", "").upper().rstrip("=")
    key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), "sha1").digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def current_step() -> int:
    return int(time.time() // TOTP_STEP_SECONDS)


def wait_for_step_after(used_step: int) -> int:
    """A TOTP step can be used only once: wait (up to one step) until a later step starts."""
    while current_step() <= used_step:
        time.sleep(max(0.05, (used_step + 1) * TOTP_STEP_SECONDS - time.time() + 0.2))
    return current_step()


def heading(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text.strip()


def main_text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "main").text


def path_of(driver) -> str:
    return urlsplit(driver.current_url).path


def submit_and_check(driver, button, timeout: float = 15) -> None:
    """Click a submit button (or link), wait for the new page to load, and scan it with axe.

    The old page is marked with a window property; the new page has none. (Waiting for the old <html>
    to go stale races with chromedriver during navigation: "Node with given id does not belong to the
    document".) Scripts that run while the page is changing may fail, so errors are retried.
    """
    driver.execute_script("window.__anydoorOldPage = true;")
    button.click()
    WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return window.__anydoorOldPage !== true && document.readyState === 'complete';")
    )
    assert_accessible(driver)


def fill(form, values: dict[str, str]) -> None:
    for name, value in values.items():
        field = form.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)


def form_with_action(driver, action: str):
    return driver.find_element(By.CSS_SELECTOR, f"main form[action='{action}']")


def button_labelled(container, text: str):
    buttons = [b for b in container.find_elements(By.CSS_SELECTOR, "button[type='submit']") if b.text.strip() == text]
    assert len(buttons) == 1, f"expected one button {text!r}, found {[b.text for b in container.find_elements(By.TAG_NAME, 'button')]}"
    return buttons[0]


def register(driver, base_url: str, *, name: str, email: str, password: str = PASSWORD) -> None:
    visit(driver, base_url, "/register")
    form = form_with_action(driver, "/register")
    fill(form, {"name": name, "email": email, "password": password})
    submit_and_check(driver, button_labelled(form, "Create account"))


def sign_out(driver) -> None:
    button = driver.find_element(By.CSS_SELECTOR, "header form.sign-out button")
    assert button.text.strip() == "Sign out"
    submit_and_check(driver, button)
    assert SESSION_COOKIE not in {c["name"] for c in driver.get_cookies()}
    assert driver.find_elements(By.CSS_SELECTOR, "header form.sign-out") == []


def sign_in(driver, base_url: str, *, email: str, password: str) -> None:
    visit(driver, base_url, "/sign-in")
    form = form_with_action(driver, "/sign-in")
    fill(form, {"email": email, "password": password})
    submit_and_check(driver, button_labelled(form, "Sign in"))


def verification_link(driver, base_url: str, email: str):
    """The link in the newest "Confirm your email address" message to `email` in /dev/mailbox."""
    visit(driver, base_url, "/dev/mailbox")
    for article in driver.find_elements(By.CSS_SELECTOR, "main article.mail"):  # newest first
        subject = article.find_element(By.CSS_SELECTOR, ".mail__subject").text.strip()
        recipient = article.find_element(By.CSS_SELECTOR, ".mail__meta bdi").text.strip()
        if subject == "Confirm your email address" and recipient == email:
            return article.find_element(By.CSS_SELECTOR, "a.mail__link")
    raise AssertionError(f"no 'Confirm your email address' message to {email} in /dev/mailbox:\n{main_text(driver)[:2000]}")


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
