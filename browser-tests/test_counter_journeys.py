"""In person and by phone (issue 7): a person books an appointment in Punjabi, checks in at the office, a
counter agent calls next and serves her while the waiting room's call display shows her ticket (live, by
server-sent events); a contact-centre agent identifies a caller from her record and books her a callback.
Every page shown is scanned with axe (WCAG 2.1 A/AA) through visit() and submit_and_check().

The counter journey uses the training centre (TRN), which is open every hour of every day, so it runs
whenever CI does; the public offices keep their real hours and BC's holidays.
"""

from __future__ import annotations

import datetime
import uuid
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from anydoor_browser import assert_accessible, visit
from journey_helpers import (
    CONTACT_AGENT,
    COUNTER_AGENT,
    OFFICE_MANAGER,
    another_browser,
    button_labelled,
    fill,
    form_with_action,
    heading,
    main_text,
    path_of,
    register_with_two_factor,
    staff_sign_in,
    submit_and_check,
)

SERVICE = "enrol-msp"


def submit_button(form):
    buttons = form.find_elements(By.CSS_SELECTOR, "button[type='submit']")
    assert len(buttons) == 1, [b.text for b in buttons]
    return buttons[0]


def test_a_person_books_in_punjabi_checks_in_and_is_called_while_the_display_shows_her_ticket(driver, base_url):
    email = f"counter-{uuid.uuid4().hex}@example.com"
    register_with_two_factor(driver, base_url, name="Harpreet Kaur", email=email)

    # She books in Punjabi: the booking page is in Gurmukhi, left to right, and offers today's free times.
    visit(driver, base_url, f"/offices/TRN/appointments/new?service={SERVICE}&lang=pa")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "pa"
    assert "ਅਪੌਇੰਟਮੈਂਟ" in heading(driver), heading(driver)
    form = driver.find_element(By.CSS_SELECTOR, "main form[method='post']")
    slots = form.find_elements(By.CSS_SELECTOR, "input[name='slot']")
    assert len(slots) > 3
    slots[0].click()
    Select(form.find_element(By.NAME, "interpreter")).select_by_value("pa")
    fill(form, {"accommodation": "ਪਹੀਏ ਵਾਲੀ ਕੁਰਸੀ"})
    submit_and_check(driver, submit_button(form))
    assert path_of(driver).startswith("/my/appointments/"), driver.current_url
    appointment = path_of(driver).rsplit("/", 1)[1]
    code = driver.find_element(By.CSS_SELECTOR, "main .ticket-label").text
    assert len(code) == 9 and code[4] == "-", code
    assert driver.find_element(By.CSS_SELECTOR, f"main a[href='/my/appointments/{appointment}.ics']")

    with another_browser() as display:
        # The waiting room's screen, before anyone is called.
        visit(display, base_url, "/offices/TRN/display")

        # She arrives and checks in from her phone: "I'm here".
        form = form_with_action(driver, f"/my/appointments/{appointment}/check-in")
        submit_and_check(driver, submit_button(form))
        assert path_of(driver).startswith("/queue/"), driver.current_url
        label = driver.find_element(By.CSS_SELECTOR, "main .ticket-label").text
        assert label.startswith("A-"), label

        with another_browser() as agent:
            # A counter agent at counter 3 calls next until it is her (the training queue may hold others).
            staff_sign_in(agent, base_url, COUNTER_AGENT)
            visit(agent, base_url, "/staff/offices/TRN/queue")
            assert label in main_text(agent)
            form = form_with_action(agent, "/staff/offices/TRN/sit")
            Select(form.find_element(By.NAME, "counter")).select_by_value("3")
            submit_and_check(agent, button_labelled(form, "Save"))
            for _ in range(20):
                # A person left at counter 3 by an earlier run is finished first.
                finish = agent.find_elements(By.CSS_SELECTOR, "main form[action$='/finish'] button, main form[action$='/no-show'] button")
                if finish:
                    submit_and_check(agent, finish[0])
                    continue
                submit_and_check(agent, button_labelled(form_with_action(agent, "/staff/offices/TRN/call-next"), "Call next"))
                if f"Called {label}." in main_text(agent):
                    break
            assert f"Called {label}." in main_text(agent), main_text(agent)[:1500]
            assert "ਪੰਜਾਬੀ" in main_text(agent) and "interpreter needed" in main_text(agent)
            assert "ਪਹੀਏ ਵਾਲੀ ਕੁਰਸੀ" in main_text(agent)

            # The display shows her ticket without a reload, in English and in Punjabi, and says it to screen readers.
            WebDriverWait(display, 15).until(lambda d: label in d.find_element(By.ID, "display-calls").text)
            calls = display.find_element(By.ID, "display-calls")
            assert "please go to counter 3" in calls.text, calls.text
            assert calls.find_elements(By.CSS_SELECTOR, "li[lang='pa']"), calls.get_attribute("innerHTML")
            spoken = " ".join(label.replace("-", ""))
            WebDriverWait(display, 5).until(lambda d: spoken in d.find_element(By.ID, "display-announce").get_attribute("textContent"))
            assert_accessible(display)

            # Her own page says where to go.
            visit(driver, base_url, path_of(driver) + "?lang=en")
            assert "Please go to counter 3" in main_text(driver), main_text(driver)[:800]

            # The agent serves her and finishes.
            submit_and_check(agent, agent.find_element(By.CSS_SELECTOR, "main form[action$='/serve'] button"))
            assert "Being served" in main_text(agent)
            submit_and_check(agent, agent.find_element(By.CSS_SELECTOR, "main form[action$='/finish'] button"))
            visit(agent, base_url, "/staff/offices/TRN/dashboard")
            assert agent.find_elements(By.CSS_SELECTOR, "main svg[role='img']")

    visit(driver, base_url, "/my/appointments?lang=en")
    assert "Attended" in main_text(driver), main_text(driver)[:1000]
    assert "Finished" in main_text(driver)


def next_weekday_at_ten() -> str:
    """The next weekday at 10:00 in Vancouver, as <input type="datetime-local"> writes it."""
    now = datetime.datetime.now(ZoneInfo("America/Vancouver"))
    day = now.date() + datetime.timedelta(days=1)
    while day.weekday() >= 5 or (day.month, day.day) in {(12, 25), (12, 26), (1, 1)}:
        day += datetime.timedelta(days=1)
    return f"{day.isoformat()}T10:00"


def test_a_phone_agent_identifies_a_caller_and_books_her_a_callback(driver, base_url):
    email = f"caller-{uuid.uuid4().hex}@example.com"
    register_with_two_factor(driver, base_url, name="Mei Chen", email=email)
    visit(driver, base_url, "/account/profile")
    form = form_with_action(driver, "/account/profile")
    fill(form, {"dateOfBirth": "", "street": "4500 Still Creek Dr", "city": "Burnaby", "postalCode": "V5C 0E5"})
    driver.execute_script("document.getElementById('field-dateOfBirth').value = '1984-06-15';")
    submit_and_check(driver, button_labelled(form, "Save my details"))
    assert "Your details were saved." in main_text(driver), main_text(driver)[:1000]

    with another_browser() as agent:
        staff_sign_in(agent, base_url, CONTACT_AGENT)
        visit(agent, base_url, "/staff/contact")
        form = form_with_action(agent, "/staff/contact/find")
        fill(form, {"email": email})
        submit_and_check(agent, button_labelled(form, "Find"))
        assert path_of(agent).startswith("/staff/contact/people/"), agent.current_url
        person = path_of(agent).rsplit("/", 1)[1]
        assert "Mei Chen" in main_text(agent)
        assert "1984" not in main_text(agent), "the agent never sees the answers on record"

        # A wrong answer is not enough; the right ones verify her.
        form = form_with_action(agent, f"/staff/contact/people/{person}/verify")
        agent.execute_script("document.getElementById('answer-date-of-birth').value = '1984-06-16';")
        fill(form, {"answer-postal-code": "v5c0e5"})
        submit_and_check(agent, button_labelled(form, "Check the answers"))
        assert "Not verified: 1 of 2" in agent.find_element(By.ID, "verification-outcome").text
        form = form_with_action(agent, f"/staff/contact/people/{person}/verify")
        agent.execute_script("document.getElementById('answer-date-of-birth').value = '1984-06-15';")
        fill(form, {"answer-postal-code": "V5C 0E5"})
        submit_and_check(agent, button_labelled(form, "Check the answers"))
        assert "Caller verified" in agent.find_element(By.ID, "verification-outcome").text

        # She wants a call back tomorrow morning about her request.
        form = form_with_action(agent, f"/staff/contact/people/{person}/log")
        Select(form.find_element(By.NAME, "reason")).select_by_value("request-status")
        Select(form.find_element(By.NAME, "outcome")).select_by_value("callback-scheduled")
        fill(form, {"duration": "4", "callbackPhone": "604 555 0142", "note": "Wants to know what documents to bring."})
        when = next_weekday_at_ten()
        agent.execute_script(f"document.getElementById('field-callbackAt').value = '{when}';")
        submit_and_check(agent, button_labelled(form, "Save the call"))
        assert path_of(agent) == "/staff/contact", agent.current_url
        assert "Call logged and callback scheduled." in main_text(agent)
        assert "+16045550142" in main_text(agent)

        # The call is on her record.
        visit(agent, base_url, f"/staff/contact/people/{person}")
        assert "Callback scheduled" in main_text(agent)

    # And she can see that the contact centre opened her record, and why.
    visit(driver, base_url, "/account/who-looked")
    assert "phone enquiry" in main_text(driver), main_text(driver)[:1000]


def test_an_office_manager_records_the_languages_a_member_of_staff_speaks(driver, base_url):
    """The skills page (axe-scanned by visit and submit_and_check): the manager adds Punjabi to their own
    languages at the training centre, leaving services empty (every service), so no other journey changes."""
    staff_sign_in(driver, base_url, OFFICE_MANAGER)
    visit(driver, base_url, "/staff/offices/TRN/dashboard")
    submit_and_check(driver, driver.find_element(By.LINK_TEXT, "Staff skills"))
    assert heading(driver) == "Staff skills"
    section = next(s for s in driver.find_elements(By.CSS_SELECTOR, "main section.skills") if OFFICE_MANAGER["name"] in s.text)
    for box in section.find_elements(By.CSS_SELECTOR, "input[name='service']:checked"):
        box.click()
    for code in ("en", "pa"):
        box = section.find_element(By.CSS_SELECTOR, f"input[name='language'][value='{code}']")
        if not box.is_selected():
            box.click()
    submit_and_check(driver, section.find_element(By.CSS_SELECTOR, "button[type='submit']"))
    assert "The skills were saved." in main_text(driver), main_text(driver)[:800]
    section = next(s for s in driver.find_elements(By.CSS_SELECTOR, "main section.skills") if OFFICE_MANAGER["name"] in s.text)
    assert section.find_element(By.CSS_SELECTOR, "input[name='language'][value='pa']").is_selected()
    assert section.find_element(By.CSS_SELECTOR, "label[lang='pa']").text == "ਪੰਜਾਬੀ"
