"""One request, any door (issue 6): a contact-centre agent opens a request for a caller, the ministry asks
her for more information, she answers online, the ministry approves, and a counter agent closes it after
her visit. Her request's timeline then shows all three doors: by phone, online, in person. Every page
shown is scanned with axe (WCAG 2.1 A/AA) through visit() and submit_and_check().
"""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from anydoor_browser import visit
from journey_helpers import (
    ADMINISTRATOR,
    CASEWORKER,
    CONTACT_AGENT,
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
)

SERVICE = "get-workbc-employment-services"
PDF_DIR = Path(tempfile.mkdtemp(prefix="anydoor-journey-"))


def take_step(driver, reference: str, step: str, note: str = "") -> None:
    """On a staff request page: choose a workflow step, give a note, apply."""
    form = form_with_action(driver, f"/staff/requests/{reference}/steps")
    form.find_element(By.ID, f"step-{step}").click()
    if note:
        fill(form, {"note": note})
    submit_and_check(driver, button_labelled(form, "Apply"))
    assert "The request was updated." in main_text(driver), main_text(driver)[:1500]


def test_a_request_opened_by_phone_answered_online_and_closed_at_the_counter_shows_all_three_doors(driver, base_url):
    email = f"journey-{uuid.uuid4().hex}@example.com"
    register_with_two_factor(driver, base_url, name="Noor Haddad", email=email)

    with another_browser() as agent:
        # The contact-centre agent finds the caller and opens a request for her during the call.
        staff_sign_in(agent, base_url, CONTACT_AGENT)
        person = find_person(agent, base_url, email)
        visit(agent, base_url, f"/staff/people/{person}?purpose=phone-enquiry")
        submit_and_check(agent, agent.find_element(By.LINK_TEXT, "Open a request"))
        assert heading(agent) == "Open a request for this person"
        form = form_with_action(agent, f"/staff/people/{person}/requests/new")
        Select(form.find_element(By.NAME, "service")).select_by_value(SERVICE)
        submit_and_check(agent, button_labelled(form, "Continue"))
        form = agent.find_element(By.CSS_SELECTOR, "main form[method='post']")
        form.find_element(By.ID, "channel-phone").click()
        form.find_element(By.ID, "field-answers-employment-status-laid-off").click()
        form.find_element(By.ID, "field-answers-help-needed-resume").click()
        fill(form, {"answers.community": "Smithers"})
        submit_and_check(agent, button_labelled(form, "Open the request"))
        assert "The request was opened." in main_text(agent), main_text(agent)[:1500]
        reference = path_of(agent).rsplit("/", 1)[1]

    with another_browser() as caseworker:
        # The ministry acknowledges it and asks her a question.
        staff_sign_in(caseworker, base_url, CASEWORKER)
        visit(caseworker, base_url, "/staff/requests")
        assert reference in main_text(caseworker)
        visit(caseworker, base_url, f"/staff/requests/{reference}")
        take_step(caseworker, reference, "receive")
        take_step(caseworker, reference, "request-information", "Which WorkBC centre is closest to you?")

        # She answers online, from My requests.
        visit(driver, base_url, "/my/requests")
        submit_and_check(driver, driver.find_element(By.LINK_TEXT, reference))
        assert "Which WorkBC centre is closest to you?" in main_text(driver)
        assert "The ministry needs something from you." in main_text(driver)
        form = form_with_action(driver, f"/my/requests/{reference}/messages")
        fill(form, {"body": "The Smithers centre on Main Street."})
        submit_and_check(driver, button_labelled(form, "Send message"))
        assert "Your message was sent." in main_text(driver)
        assert "The ministry is working on your request." in main_text(driver)

        visit(caseworker, base_url, f"/staff/requests/{reference}")
        assert "The Smithers centre on Main Street." in main_text(caseworker)
        take_step(caseworker, reference, "approve", "Referred to the Smithers WorkBC centre.")

    with another_browser() as counter:
        # She comes to the counter; the agent finds the request by its reference, records the visit, closes it.
        staff_sign_in(counter, base_url, COUNTER_AGENT)
        visit(counter, base_url, "/staff/requests")
        form = counter.find_element(By.CSS_SELECTOR, "main form[method='get'][action='/staff/requests']")
        fill(form, {"reference": reference.lower().replace("-", " ")})
        submit_and_check(counter, button_labelled(form, "Find"))
        assert path_of(counter) == f"/staff/requests/{reference}", counter.current_url
        form = form_with_action(counter, f"/staff/requests/{reference}/contacts")
        form.find_element(By.ID, "contact-channel-in-person").click()
        fill(form, {"note": "Came in with her resume."})
        submit_and_check(counter, button_labelled(form, "Record contact"))
        assert "The contact was recorded." in main_text(counter)
        take_step(counter, reference, "close")

    visit(driver, base_url, f"/my/requests/{reference}")
    text = main_text(driver)
    assert "This request is closed." in text
    timeline = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "main ol.timeline li")]
    doors = {door for line in timeline for door in ("By phone", "Online", "In person") if f"· {door}" in line}
    assert doors == {"By phone", "Online", "In person"}, timeline
    assert "Came in with her resume." not in text  # staff notes stay internal


def test_a_person_applies_online_fixing_what_the_form_names_and_an_administrator_sees_webhook_deliveries(driver, base_url):
    email = f"journey-{uuid.uuid4().hex}@example.com"
    register_with_two_factor(driver, base_url, name="Tomas Reyes", email=email)
    # He asks for text messages too; a number that is not one is refused at its field.
    visit(driver, base_url, "/account/notifications")
    form = form_with_action(driver, "/account/notifications")
    form.find_element(By.ID, "field-sms").click()
    fill(form, {"phone": "555"})
    submit_and_check(driver, button_labelled(form, "Save"))
    assert driver.find_element(By.ID, "field-phone").get_attribute("aria-invalid") == "true"
    form = form_with_action(driver, "/account/notifications")
    fill(form, {"phone": "250 555 0123"})
    submit_and_check(driver, button_labelled(form, "Save"))
    assert "Your choices were saved." in main_text(driver)
    # He tells us his details once; the form then fills in his community.
    visit(driver, base_url, "/account/profile")
    form = form_with_action(driver, "/account/profile")
    fill(form, {"street": "300 Columbia St", "city": "Kamloops", "postalCode": "v2c2t1"})
    submit_and_check(driver, button_labelled(form, "Save my details"))
    assert "Your details were saved." in main_text(driver), main_text(driver)[:1000]
    assert driver.find_element(By.ID, "field-postalCode").get_attribute("value") == "V2C 2T1"
    visit(driver, base_url, f"/services/{SERVICE}")
    submit_and_check(driver, driver.find_element(By.LINK_TEXT, "Apply online"))
    assert driver.find_element(By.ID, "field-answers-community").get_attribute("value") == "Kamloops"
    assert path_of(driver) == f"/services/{SERVICE}/request"
    form = form_with_action(driver, f"/services/{SERVICE}/request")
    submit_and_check(driver, button_labelled(form, "Send request"))
    assert response_status(driver) in (422, None)
    summary = driver.find_element(By.CSS_SELECTOR, "main .error-summary")
    targets = [a.get_attribute("href").split("#", 1)[1] for a in summary.find_elements(By.CSS_SELECTOR, "ul a")]
    assert targets == ["field-answers-employment-status", "field-answers-help-needed"], targets  # the community was filled in
    form = form_with_action(driver, f"/services/{SERVICE}/request")
    form.find_element(By.ID, "field-answers-employment-status-part-time").click()
    form.find_element(By.ID, "field-answers-help-needed-training").click()
    fill(form, {"answers.community": "Kamloops"})
    # He sends his record of employment with it: a real file, chosen in the file input, sent as multipart.
    document = PDF_DIR / "record of employment.pdf"
    document.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    form.find_element(By.ID, "field-attachments").send_keys(str(document))
    submit_and_check(driver, button_labelled(form, "Send request"))
    assert "Your request was sent." in main_text(driver), main_text(driver)[:1500]
    assert "Kamloops" in main_text(driver)
    reference = path_of(driver).rsplit("/", 1)[1]
    link = driver.find_element(By.CSS_SELECTOR, "main ul.attachments a")
    assert link.text == "record of employment.pdf", link.text
    status, content_type, disposition, size = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done([r.status, r.headers.get('content-type'),"
        " r.headers.get('content-disposition'), b.byteLength])));", link.get_attribute("href"))
    assert (status, content_type, size) == (200, "application/pdf", document.stat().st_size), (status, content_type, size)
    assert disposition.startswith('attachment; filename="record of employment.pdf"'), disposition

    # The local outbox (the development mailbox) shows the email and the text message that announce it.
    subjects = []
    for _ in range(20):
        visit(driver, base_url, "/dev/mailbox")
        subjects = [s.text.strip() for s in driver.find_elements(By.CSS_SELECTOR, "main article.mail .mail__subject")]
        if subjects.count(f"We have your request {reference}") >= 2:
            break
        time.sleep(0.5)
    assert subjects.count(f"We have your request {reference}") == 2, subjects[:10]

    with another_browser() as admin:
        staff_sign_in(admin, base_url, ADMINISTRATOR)
        visit(admin, base_url, "/staff/webhooks")
        assert heading(admin) == "Webhook deliveries"


def test_a_person_losing_a_job_applies_to_two_ministries_in_one_submission(driver, base_url):
    email = f"journey-{uuid.uuid4().hex}@example.com"
    register_with_two_factor(driver, base_url, name="Mei Lin", email=email)
    visit(driver, base_url, "/life-events/losing-a-job")
    submit_and_check(driver, driver.find_element(By.LINK_TEXT, "Apply for several of these services at once"))
    assert heading(driver) == "Apply for several services at once"
    form = driver.find_element(By.CSS_SELECTOR, "main form[method='get']")
    form.find_element(By.ID, "choose-get-workbc-employment-services").click()
    form.find_element(By.ID, "choose-ask-service-bc").click()
    submit_and_check(driver, button_labelled(form, "Continue"))
    form = form_with_action(driver, "/life-events/losing-a-job/apply")
    form.find_element(By.ID, "field-get-workbc-employment-services/answers-employment-status-laid-off").click()
    form.find_element(By.ID, "field-get-workbc-employment-services/answers-help-needed-job-search").click()
    fill(form, {"get-workbc-employment-services/answers.community": "Nanaimo", "ask-service-bc/answers.question": "How do I apply for Employment Insurance?"})
    form.find_element(By.ID, "field-ask-service-bc/answers-contact-method-email").click()
    submit_and_check(driver, button_labelled(form, "Send all requests"))
    assert path_of(driver) == "/my/requests", driver.current_url
    assert "2 requests were sent together." in main_text(driver)
    links = driver.find_elements(By.CSS_SELECTOR, "main table a")
    assert len(links) == 2
    submit_and_check(driver, links[0])
    assert "Sent together with" in main_text(driver)


def test_a_daughter_applies_online_for_her_father_and_he_sees_the_request_as_his(driver, base_url):
    father = {"name": "Ravinder Gill", "email": f"journey-father-{uuid.uuid4().hex}@example.com"}
    daughter = {"name": "Jasleen Gill", "email": f"journey-daughter-{uuid.uuid4().hex}@example.com"}
    with another_browser() as daughter_browser:
        register_with_two_factor(daughter_browser, base_url, name=daughter["name"], email=daughter["email"])
        # The father gives her permission to act for him on one service.
        register_with_two_factor(driver, base_url, name=father["name"], email=father["email"])
        visit(driver, base_url, "/account/representatives")
        form = form_with_action(driver, "/account/representatives")
        fill(form, {"email": daughter["email"], "services": SERVICE})
        Select(form.find_element(By.NAME, "relationship")).select_by_value("family-member")
        Select(form.find_element(By.NAME, "scope")).select_by_value("act")
        for name, value in (("starts", "2026-01-01"), ("ends", "2027-12-31")):
            driver.execute_script("arguments[0].value = arguments[1];", form.find_element(By.NAME, name), value)
        submit_and_check(driver, button_labelled(form, "Give permission"))

        # From her own page she goes to the service she may act on, and applies for him.
        visit(daughter_browser, base_url, "/account/representatives")
        held = daughter_browser.find_element(By.CSS_SELECTOR, "main ul.held li")
        assert father["name"] in held.text, held.text
        submit_and_check(daughter_browser, held.find_element(By.LINK_TEXT, SERVICE))
        assert "Acting for" in daughter_browser.find_element(By.CSS_SELECTOR, "main .acting-for").text
        submit_and_check(daughter_browser, daughter_browser.find_element(By.LINK_TEXT, "Apply for this service for them"))
        banner = daughter_browser.find_element(By.CSS_SELECTOR, "main .acting-for")
        assert father["name"] in banner.text, banner.text
        form = daughter_browser.find_element(By.CSS_SELECTOR, "main form[enctype='multipart/form-data']")
        form.find_element(By.ID, "field-answers-employment-status-laid-off").click()
        form.find_element(By.ID, "field-answers-help-needed-resume").click()
        fill(form, {"answers.community": "Surrey"})
        submit_and_check(daughter_browser, button_labelled(form, "Send request"))
        assert "Your request was sent." in main_text(daughter_browser), main_text(daughter_browser)[:1500]
        assert path_of(daughter_browser).startswith("/act-for/"), daughter_browser.current_url
        reference = path_of(daughter_browser).rsplit("/", 1)[1]

    # The request is his: on his list, and its timeline names who sent it.
    visit(driver, base_url, "/my/requests")
    assert reference in main_text(driver)
    visit(driver, base_url, f"/my/requests/{reference}")
    first = driver.find_elements(By.CSS_SELECTOR, "main ol.timeline li")[0]
    assert "By a representative" in first.text, first.text
    assert "Surrey" in main_text(driver)
