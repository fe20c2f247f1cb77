"""Helpers shared by the browser journeys: registering, signing in and out (people and demo staff),
turning on an authenticator app (TOTP), and finding things on AnyDoor's pages.

Every helper that loads or submits a page checks the new page with axe (WCAG 2.1 A/AA): `visit()` for
navigations, `submit_and_check()` for form posts and link clicks.

TOTP codes are computed here as an authenticator app would (RFC 6238: HMAC-SHA-1, 30-second steps,
6 digits). A step can be used only once per account, so signing the same account in twice within one
step means waiting for the next one (`wait_for_step_after`).
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import struct
import time
import uuid
from urllib.parse import parse_qs, urlsplit

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from anydoor_browser import assert_accessible, make_driver, visit

# Long, unrelated words: passes the password policy (15+ characters, not common, not the email).
PASSWORD = "amber kettle harbour violin 7391"
TOTP_STEP_SECONDS = 30
SESSION_COOKIE = "__Host-anydoor-session"
CSRF_COOKIE = "__Host-anydoor-csrf"

# Demo staff (loaded with the demo data; published in the README, never in production).
DEMO_STAFF_PASSWORD = "demo staff passphrase"


def demo_staff_totp_key(role_letters: str) -> bytes:
    """A demo staff member's TOTP key: the role's letters in capitals, padded with 'A' to 32 characters.

    The HMAC key is those 32 characters' own bytes (AnyDoor's TOTP takes the secret string's UTF-8
    bytes; the otpauth:// link carries their base32), NOT the string base32-decoded.
    """
    return (role_letters.upper() + "A" * 32)[:32].encode("utf-8")


COUNTER_AGENT = {"email": "counter@demo.anydoor.ca", "name": "Casey Counter", "totp_key": demo_staff_totp_key("COUNTERAGENT")}
ADMINISTRATOR = {"email": "admin@demo.anydoor.ca", "name": "Alex Administrator", "totp_key": demo_staff_totp_key("ADMINISTRATOR")}
CONTACT_AGENT = {"email": "contact@demo.anydoor.ca", "name": "Morgan Contact", "totp_key": demo_staff_totp_key("CONTACTCENTREAGENT")}
CASEWORKER = {"email": "caseworker@demo.anydoor.ca", "name": "Riley Caseworker", "totp_key": demo_staff_totp_key("MINISTRYCASEWORKER")}
OFFICE_MANAGER = {"email": "manager@demo.anydoor.ca", "name": "Jordan Manager", "totp_key": demo_staff_totp_key("OFFICEMANAGER")}
# Both province-wide: the owner drafts any ministry's services, the steward reviews and publishes them.
SERVICE_OWNER = {"email": "owner@demo.anydoor.ca", "name": "Sam Owner", "totp_key": demo_staff_totp_key("SERVICEOWNER")}
CATALOGUE_STEWARD = {"email": "steward@demo.anydoor.ca", "name": "Taylor Steward", "totp_key": demo_staff_totp_key("CATALOGUESTEWARD")}


# --------------------------------------------------------------------------------------------------
# TOTP
# --------------------------------------------------------------------------------------------------
def totp_code_for_key(key: bytes, step: int) -> str:
    """RFC 6238 TOTP for time step `step` (RFC 4226 HOTP with the step as the counter): SHA-1, 6 digits."""
    digest = hmac.new(key, struct.pack(">Q", step), "sha1").digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def totp_code(secret_base32: str, step: int) -> str:
    """The code for a base32 key, as in an otpauth:// link or typed into an authenticator app."""
    cleaned = secret_base32.replace(" ", "").upper().rstrip("=")
    return totp_code_for_key(base64.b32decode(cleaned + "=" * (-len(cleaned) % 8)), step)


def current_step() -> int:
    return int(time.time() // TOTP_STEP_SECONDS)


def wait_for_step_after(used_step: int) -> int:
    """A TOTP step can be used only once: wait (up to one step) until a later step starts."""
    while current_step() <= used_step:
        time.sleep(max(0.05, (used_step + 1) * TOTP_STEP_SECONDS - time.time() + 0.2))
    return current_step()


# --------------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------------
def unique_email() -> str:
    return f"journey-{uuid.uuid4().hex}@example.com"


def heading(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text.strip()


def main_text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "main").text


def path_of(driver) -> str:
    return urlsplit(driver.current_url).path


def response_status(driver) -> int | None:
    """The HTTP status of the page now shown (Navigation Timing's responseStatus), or None if unknown."""
    status = driver.execute_script(
        "const e = performance.getEntriesByType('navigation')[0]; return e && e.responseStatus ? e.responseStatus : null;"
    )
    return int(status) if status else None


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


@contextlib.contextmanager
def another_browser():
    """A second, separate browser (its own cookies): for a second person or a member of staff."""
    drv = make_driver()
    try:
        yield drv
    finally:
        drv.quit()


# --------------------------------------------------------------------------------------------------
# People's accounts
# --------------------------------------------------------------------------------------------------
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


def turn_on_two_factor(driver, base_url: str) -> tuple[str, int]:
    """Turn on the authenticator app for the signed-in person (the session becomes two-factor).

    Returns the base32 key from the otpauth:// link and the TOTP step spent turning it on.
    """
    visit(driver, base_url, "/account/two-factor")
    otpauth = driver.find_element(By.CSS_SELECTOR, "main a[href^='otpauth://']").get_attribute("href")
    secret = parse_qs(urlsplit(otpauth).query)["secret"][0]
    step = current_step()
    form = form_with_action(driver, "/account/two-factor")
    fill(form, {"code": totp_code(secret, step)})
    submit_and_check(driver, button_labelled(form, "Turn on"))
    assert heading(driver) == "Save your recovery codes", main_text(driver)[:1000]
    submit_and_check(driver, driver.find_element(By.LINK_TEXT, "I have saved my codes"))
    assert path_of(driver) == "/account", driver.current_url
    assert "On (authenticator app)" in main_text(driver)
    return secret, step


def register_with_two_factor(driver, base_url: str, *, name: str, email: str) -> tuple[str, int]:
    """Register, then turn on the authenticator app: the person is left signed in with two factors."""
    register(driver, base_url, name=name, email=email)
    assert heading(driver) == "Check your email", main_text(driver)[:1000]
    return turn_on_two_factor(driver, base_url)


# --------------------------------------------------------------------------------------------------
# Staff
# --------------------------------------------------------------------------------------------------
# The last TOTP step each staff account used in this test session: demo staff accounts are shared by
# every journey, and a step is accepted only once per account.
_staff_steps: dict[str, int] = {}


def staff_sign_in(driver, base_url: str, staff: dict) -> None:
    """Sign a demo staff member in: password at /staff/sign-in, then a TOTP code at /sign-in/code."""
    email, key = staff["email"], staff["totp_key"]
    visit(driver, base_url, "/staff/sign-in")
    form = form_with_action(driver, "/staff/sign-in")
    fill(form, {"email": email, "password": DEMO_STAFF_PASSWORD})
    submit_and_check(driver, button_labelled(form, "Sign in"))
    assert path_of(driver) == "/sign-in/code", f"{driver.current_url}\n{main_text(driver)[:1000]}"
    for attempt in range(2):
        step = current_step()
        if step <= _staff_steps.get(email, -1):
            step = wait_for_step_after(_staff_steps[email])
        form = form_with_action(driver, "/sign-in/code")
        fill(form, {"code": totp_code_for_key(key, step)})
        submit_and_check(driver, button_labelled(form, "Continue"))
        _staff_steps[email] = max(step, _staff_steps.get(email, -1))
        if path_of(driver) != "/sign-in/code":
            break
        # Refused: another run may have spent this step for the shared account; the next one is fresh.
    assert path_of(driver) == "/staff", f"staff sign-in for {email} ended on {driver.current_url}\n{main_text(driver)[:1000]}"
    assert staff["name"] in main_text(driver)


def find_person(driver, base_url: str, email: str) -> str:
    """As signed-in staff, find a person by email at /staff/people; returns their id (from the URL)."""
    visit(driver, base_url, "/staff/people")
    form = form_with_action(driver, "/staff/people/find")
    fill(form, {"email": email})
    submit_and_check(driver, button_labelled(form, "Find person"))
    path = path_of(driver)
    prefix = "/staff/people/"
    assert path.startswith(prefix), f"finding {email} ended on {driver.current_url}\n{main_text(driver)[:1000]}"
    person_id = path[len(prefix):]
    uuid.UUID(person_id)  # the id is a UUID
    return person_id
