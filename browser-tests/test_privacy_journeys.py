"""Journeys through a person's privacy pages: giving a family member permission to act on one service
(and taking it back), and seeing which organisation opened one's record, and why.

Each role has its own browser (its own cookies): the `driver` fixture for the person whose record it is,
and `another_browser()` for a representative or a member of staff. Every page shown is scanned with axe
(WCAG 2.1 A/AA): `visit()` for navigations, `submit_and_check()` after form posts.

These pages need a sign-in with two factors: each person turns on an authenticator app, which makes
their session two-factor. Demo staff sign in with their published TOTP keys (journey_helpers.py).
"""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from anydoor_browser import visit
from journey_helpers import (
    CASEWORKER,
    COUNTER_AGENT,
    another_browser,
    button_labelled,
    fill,
    find_person,
    form_with_action,
    heading,
    main_text,
    path_of,
    register_with_two_factor,
    response_status,
    staff_sign_in,
    submit_and_check,
    unique_email,
)

REFUSED_HEADING = "There is a problem with your request"


def assert_refused(driver, what: str) -> None:
    """The page shown is AnyDoor's 403 error page."""
    assert heading(driver) == REFUSED_HEADING, f"{what}: expected the refusal page, got {driver.current_url}\n{main_text(driver)[:1000]}"
    status = response_status(driver)
    assert status == 403, f"{what}: the refusal page came with HTTP {status}, not 403"


def notice_text(driver) -> str:
    notices = driver.find_elements(By.CSS_SELECTOR, "main .notice[role='status']")
    return notices[0].text.strip() if notices else ""


def test_a_daughter_acting_for_her_father_is_allowed_on_one_service_and_refused_on_another(driver, base_url):
    father = {"name": "Harold Whitfield", "email": unique_email()}
    daughter = {"name": "Nadia Whitfield", "email": unique_email()}

    with another_browser() as daughter_browser:
        # The daughter has her own account (with two factors) before her father names her.
        register_with_two_factor(daughter_browser, base_url, name=daughter["name"], email=daughter["email"])

        # The father registers, turns on two factors, and gives her permission to act on one service.
        register_with_two_factor(driver, base_url, name=father["name"], email=father["email"])
        visit(driver, base_url, "/account/representatives")
        form = form_with_action(driver, "/account/representatives")
        fill(form, {"email": daughter["email"], "services": "msp-enrolment"})
        Select(form.find_element(By.NAME, "relationship")).select_by_value("family-member")
        Select(form.find_element(By.NAME, "scope")).select_by_value("act")
        # Date inputs: set the ISO value directly (typing depends on the browser's locale).
        for name, value in (("starts", "2026-01-01"), ("ends", "2027-12-31")):
            field = form.find_element(By.NAME, name)
            assert field.get_attribute("type") == "date"
            driver.execute_script("arguments[0].value = arguments[1];", field, value)
            assert field.get_attribute("value") == value
        submit_and_check(driver, button_labelled(form, "Give permission"))
        assert notice_text(driver) == "Permission given.", main_text(driver)[:1500]
        given = driver.find_elements(By.CSS_SELECTOR, "main ul.representations li")
        assert len(given) == 1 and daughter["name"] in given[0].text and "msp-enrolment" in given[0].text, [g.text for g in given]

        # Counter staff look the father up: his id is in the address of his record.
        with another_browser() as staff_browser:
            staff_sign_in(staff_browser, base_url, COUNTER_AGENT)
            father_id = find_person(staff_browser, base_url, father["email"])
            assert heading(staff_browser) == "Why are you opening this record?"

        # The daughter may act for him on the service he named ...
        msp = f"/act-for/{father_id}/services/msp-enrolment"
        visit(daughter_browser, base_url, msp)
        assert path_of(daughter_browser) == msp, daughter_browser.current_url
        assert response_status(daughter_browser) == 200
        banner = daughter_browser.find_element(By.CSS_SELECTOR, "main .acting-for")
        assert "Acting for" in banner.text and father["name"] in banner.text, banner.text
        assert "msp-enrolment" in main_text(daughter_browser)

        # ... and not on another one.
        visit(daughter_browser, base_url, f"/act-for/{father_id}/services/income-assistance")
        assert_refused(daughter_browser, "acting on a service the father did not name")
        assert father["name"] not in main_text(daughter_browser)

        # The father takes the permission back; it stops working at once.
        visit(driver, base_url, "/account/representatives")
        given = driver.find_elements(By.CSS_SELECTOR, "main ul.representations li")
        assert len(given) == 1, [g.text for g in given]
        submit_and_check(driver, button_labelled(given[0], "Take back permission"))
        assert notice_text(driver) == "Permission taken back. It no longer works.", main_text(driver)[:1500]
        given = driver.find_elements(By.CSS_SELECTOR, "main ul.representations li")
        assert len(given) == 1, [g.text for g in given]
        tags = [tag.get_attribute("textContent").strip() for tag in given[0].find_elements(By.CSS_SELECTOR, ".tag")]  # shown in capitals by CSS
        assert tags == ["Taken back"], given[0].text
        assert given[0].find_elements(By.CSS_SELECTOR, "button") == []

        visit(daughter_browser, base_url, msp)
        assert_refused(daughter_browser, "acting after the permission was taken back")
        assert father["name"] not in main_text(daughter_browser)


def test_a_person_sees_that_a_caseworker_looked_at_their_record_and_why(driver, base_url):
    person = {"name": "Priya Okonkwo", "email": unique_email()}
    register_with_two_factor(driver, base_url, name=person["name"], email=person["email"])

    # Nobody has looked yet.
    visit(driver, base_url, "/account/who-looked")
    assert driver.find_elements(By.CSS_SELECTOR, "main table tbody tr") == []

    # A ministry caseworker opens the record, and must say why.
    with another_browser() as staff_browser:
        staff_sign_in(staff_browser, base_url, CASEWORKER)
        person_id = find_person(staff_browser, base_url, person["email"])
        assert heading(staff_browser) == "Why are you opening this record?"
        form = form_with_action(staff_browser, f"/staff/people/{person_id}")
        labels = [label for label in form.find_elements(By.CSS_SELECTOR, ".radio label") if label.text.strip() == "Processing the person's request"]
        assert len(labels) == 1, [label.text for label in form.find_elements(By.CSS_SELECTOR, ".radio label")]
        labels[0].click()
        radio = staff_browser.find_element(By.ID, labels[0].get_attribute("for"))
        assert radio.is_selected() and radio.get_attribute("name") == "purpose"
        submit_and_check(staff_browser, button_labelled(form, "Open record"))
        assert path_of(staff_browser) == f"/staff/people/{person_id}", staff_browser.current_url
        assert heading(staff_browser) == person["name"], main_text(staff_browser)[:1000]
        assert person["email"] in main_text(staff_browser)

    # The person sees who looked (the organisation, not the member of staff) and why.
    visit(driver, base_url, "/account/who-looked")
    rows = [[cell.text.strip() for cell in row.find_elements(By.TAG_NAME, "td")]
            for row in driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")]
    assert len(rows) == 1, rows
    when, organisation, purpose = rows[0]
    assert when
    assert organisation == "Government of British Columbia", rows
    assert purpose == "Processing the person's request", rows
    page = driver.page_source
    assert CASEWORKER["name"] not in page, "the caseworker's name is shown to the person"
    assert CASEWORKER["email"] not in page, "the caseworker's email address is shown to the person"
