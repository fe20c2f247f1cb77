"""Journeys through the service catalogue: a person finds a service through a life event and through
search in Traditional Chinese and in Farsi (right to left); the Farsi and Traditional Chinese public
pages are not left in English; and a service owner's new service goes through review (sent back with a
comment, submitted again) until a catalogue steward publishes it. Every page shown is scanned with axe
(WCAG 2.1 A/AA) through visit() and submit_and_check().

The language chosen with ?lang= is remembered (the __Host-anydoor-lang cookie), so links followed and
forms submitted afterwards stay in that language; the journeys check it on every page.
"""

from __future__ import annotations

import json
import re
import uuid
from urllib.parse import quote, urlsplit

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from anydoor_browser import visit
from journey_helpers import (
    CATALOGUE_STEWARD,
    SERVICE_OWNER,
    another_browser,
    button_labelled,
    fill,
    form_with_action,
    heading,
    main_text,
    path_of,
    response_status,
    staff_sign_in,
    submit_and_check,
)

RTL = {"fa", "ar"}

# The demo catalogue's birth registration, as a person looking for it would name it in each language.
BIRTH = {
    "zh-Hant": {"title": "辦理出生登記", "search": "出生登記"},
    "fa": {"title": "ثبت تولد", "search": "ثبت تولد"},
}


def assert_page_language(driver, lang: str) -> None:
    html = driver.find_element(By.TAG_NAME, "html")
    expected = (lang, "rtl" if lang in RTL else "ltr")
    actual = (html.get_attribute("lang"), html.get_attribute("dir"))
    assert actual == expected, f"{driver.current_url} is <html lang={actual[0]!r} dir={actual[1]!r}>, not {expected}"


def service_json_ld(driver) -> dict:
    """The schema.org GovernmentService description in the service page's <head>."""
    scripts = driver.find_elements(By.CSS_SELECTOR, "head script[type='application/ld+json']")
    assert len(scripts) == 1, f"expected one JSON-LD script on {driver.current_url}, found {len(scripts)}"
    return json.loads(scripts[0].get_attribute("textContent"))


def edit_form(driver, code: str):
    """The service form on /staff/catalogue/{code}/edit (a GET form with the same action picks the texts' language)."""
    return driver.find_element(By.CSS_SELECTOR, f"main form[method='post'][action='/staff/catalogue/{code}/edit']")


def first_result(driver):
    results = driver.find_elements(By.CSS_SELECTOR, "main ol.results li.result h2 a")
    assert results, f"no search results on {driver.current_url}:\n{main_text(driver)[:1500]}"
    return results[0]


# --------------------------------------------------------------------------------------------------
# 1. Finding a service in Traditional Chinese and in Farsi
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh-Hant", "fa"])
def test_a_person_finds_birth_registration_through_a_life_event_and_through_search_in_their_language(driver, base_url, lang):
    expected = BIRTH[lang]

    # The home page in the person's language lists the life events.
    visit(driver, base_url, f"/?lang={lang}")
    assert_page_language(driver, lang)
    life_event = driver.find_element(By.CSS_SELECTOR, "main a[href='/life-events/having-a-baby']")
    life_event_title = life_event.text.strip()
    assert life_event_title and not re.search(r"[A-Za-z]", life_event_title), f"life event link is {life_event_title!r}"

    # Having a baby: the life event's page lists birth registration among its services.
    submit_and_check(driver, life_event)
    assert path_of(driver) == "/life-events/having-a-baby"
    assert_page_language(driver, lang)
    assert heading(driver) == life_event_title
    service_link = driver.find_element(By.CSS_SELECTOR, "main ul.results a[href='/services/register-birth']")
    assert service_link.text.strip() == expected["title"]

    # The service page: translated title, marked in the person's language, described the same in JSON-LD.
    submit_and_check(driver, service_link)
    assert path_of(driver) == "/services/register-birth"
    assert_page_language(driver, lang)
    assert heading(driver) == expected["title"]
    assert driver.find_element(By.TAG_NAME, "h1").get_attribute("lang") in (None, "", lang)  # not a fallback
    described = service_json_ld(driver)
    assert described["@type"] == "GovernmentService"
    assert (described["name"], described["inLanguage"]) == (expected["title"], lang)

    # Search from the home page (no ?lang= this time: the choice is remembered).
    visit(driver, base_url, "/")
    assert_page_language(driver, lang)
    form = driver.find_element(By.CSS_SELECTOR, "main form[action='/services']")
    box = form.find_element(By.ID, "home-search")
    assert box.get_attribute("name") == "q"
    box.send_keys(expected["search"])
    submit_and_check(driver, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))
    assert path_of(driver) == "/services"
    assert_page_language(driver, lang)
    result = first_result(driver)
    assert urlsplit(result.get_attribute("href")).path == "/services/register-birth", (
        f"first result for {expected['search']!r} is {result.text!r} ({result.get_attribute('href')})")
    assert result.text.strip() == expected["title"]
    submit_and_check(driver, result)
    assert heading(driver) == expected["title"]
    assert_page_language(driver, lang)


def test_the_search_page_shows_the_words_a_person_typed_with_their_spaces(driver, base_url):
    visit(driver, base_url, "/?lang=fa")
    form = driver.find_element(By.CSS_SELECTOR, "main form[action='/services']")
    form.find_element(By.ID, "home-search").send_keys("ثبت تولد")
    submit_and_check(driver, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))
    assert "+" in urlsplit(driver.current_url).query  # a GET form sends a space as '+' (HTML form encoding)
    assert driver.find_element(By.ID, "search-q").get_attribute("value") == "ثبت تولد"
    status = driver.find_element(By.CSS_SELECTOR, "main [role='status']").text
    assert "ثبت تولد" in status and "+" not in status, status


# --------------------------------------------------------------------------------------------------
# 2. Farsi and Traditional Chinese pages are not left in English
# --------------------------------------------------------------------------------------------------
# The text a person reads or hears: the page's title, the skip link, header, navigation, phase banner,
# main content (form controls' options included) and footer, plus accessible names and hints given in
# attributes. The language switcher is left out: it names each language in that language (English,
# Français, Tagalog...), as it should.
_PAGE_TEXT = """
const switcher = document.querySelector('nav.language-switcher');
const parts = [document.title];
for (const el of document.querySelectorAll('a.skip-link, header, nav, .phase-banner, main, footer')) {
  if (switcher && (el === switcher || switcher.contains(el))) continue;
  parts.push(el.classList.contains('skip-link') ? el.textContent : el.innerText);
}
for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt], input[type=submit], input[type=button]')) {
  if (switcher && switcher.contains(el)) continue;
  for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'value']) {
    if ((name !== 'value' || el.tagName === 'INPUT') && el.getAttribute(name)) parts.push(el.getAttribute(name));
  }
}
return parts.join('\\n');
"""

# Proper names that stay in English in every language: AnyDoor, Service BC, official program and agency
# names (the translations give them in brackets after the translated name), statutes (cited by their
# official English name, marked lang="en"), and a Canada Post mailing address.
_NOT_LATIN_BEFORE, _NOT_LATIN_AFTER = r"(?<![A-Za-z])", r"(?![A-Za-z])"  # not \b: CJK letters are word characters too
PROPER_NAMES = [_NOT_LATIN_BEFORE + name + _NOT_LATIN_AFTER for name in (
    r"AnyDoor",
    r"BC Services Card",
    r"Service BC",
    r"BC Family Benefit",
    r"Canada child benefit",
    r"Health Connect(?: Registry)?",
    r"Vital Statistics Agency",
    r"Home Owner Grant",
    r"(?:ACCB|CCB|MSP|PST|ICBC)",
    r"[A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*)* Act, RSBC \d{4}, c\. \d+",
    r"PO Box \d+ Stn Prov Govt, Victoria BC [A-Z]\d[A-Z] \d[A-Z]\d",
)] + [
    r"[^\s@]+@[^\s@]+\.[A-Za-z]{2,}",  # email addresses
    r"https?://\S+",                   # web addresses
]

# A Latin-script word of four letters or more (accented Latin letters included).
LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF][A-Za-z\u00C0-\u024F\u1E00-\u1EFF'’-]{3,}")

# Ministry names are translated into every language (DemoData/ministry-names-<lang>.csv); one left in
# English is reported by name.


@pytest.fixture(scope="module")
def english_ministry_names(base_url) -> list[str]:
    response = requests.get(f"{base_url}/api/v1/ministries", timeout=15)
    response.raise_for_status()
    names = [item["names"]["en"] for item in response.json()["items"]]
    assert len(names) == 25, names
    return sorted(names, key=len, reverse=True)  # longest first, so no name is cut by a shorter one


TRANSLATED_PAGES = {
    "home page": lambda lang: "/",
    "life event page": lambda lang: "/life-events/having-a-baby",
    "search results page": lambda lang: "/services?q=" + quote(BIRTH[lang]["search"]),
    "service page": lambda lang: "/services/register-birth",
    "sign-in page": lambda lang: "/sign-in",
}


@pytest.mark.parametrize("page", list(TRANSLATED_PAGES))
@pytest.mark.parametrize("lang", ["fa", "zh-Hant"])
def test_farsi_and_traditional_chinese_pages_are_not_left_in_english(driver, base_url, english_ministry_names, lang, page):
    path = TRANSLATED_PAGES[page](lang)
    visit(driver, base_url, path + ("&" if "?" in path else "?") + f"lang={lang}")
    assert_page_language(driver, lang)
    text = driver.execute_script(_PAGE_TEXT)

    remaining = text
    for pattern in PROPER_NAMES:
        remaining = re.sub(pattern, " ", remaining)
    ministries_in_english = sorted({name for name in english_ministry_names if name in remaining})
    assert not ministries_in_english, f"the {page} in {lang} names ministries in English: {ministries_in_english}"

    english = {}
    for line in remaining.splitlines():
        for word in LATIN_WORD.findall(line):
            english.setdefault(word, line.strip()[:160])
    assert not english, (
        f"the {page} in {lang} ({driver.current_url}) still has English words:\n"
        + "\n".join(f"  {word!r} in: {context}" for word, context in sorted(english.items())))


# --------------------------------------------------------------------------------------------------
# 3. A new service through review: sent back with a comment, submitted again, published
# --------------------------------------------------------------------------------------------------
def test_a_steward_sends_a_new_service_back_with_a_comment_then_publishes_it(driver, base_url):
    suffix = uuid.uuid4().hex[:8]
    code = f"journey-oversize-permit-{suffix}"
    title = f"Apply for an oversize load permit ({suffix})"
    description = "Get a permit to move a load wider, longer or heavier than the legal limits on provincial highways."
    comment = "Please say how wide a load can be before it needs this permit."
    revised = description + " Loads wider than 2.6 metres need a permit."

    # The service owner describes a new service and saves it as a draft (the description still empty).
    staff_sign_in(driver, base_url, SERVICE_OWNER)
    visit(driver, base_url, "/staff/catalogue")
    submit_and_check(driver, driver.find_element(By.LINK_TEXT, "Describe a new service"))
    assert path_of(driver) == "/staff/catalogue/new"
    assert heading(driver) == "Describe a new service"
    form = form_with_action(driver, "/staff/catalogue/new")
    fill(form, {"serviceCode": code, "title": title, "programArea": "Commercial vehicle safety", "processingTime": "P2W"})
    Select(form.find_element(By.NAME, "ministry")).select_by_value("MOTT")
    form.find_element(By.ID, "field-audience-people").click()
    form.find_element(By.ID, "field-inPerson").click()
    submit_and_check(driver, button_labelled(form, "Save the draft"))
    assert path_of(driver) == f"/staff/catalogue/{code}", f"{driver.current_url}\n{main_text(driver)[:1500]}"
    assert heading(driver) == title
    assert driver.find_element(By.CSS_SELECTOR, "main dd code").text.strip() == code
    assert "Draft" in main_text(driver)
    # Not public while it is a draft.
    assert requests.get(f"{base_url}/services/{code}", timeout=15).status_code == 404

    # Saving and submitting for review with no description: the form comes back with an error summary
    # whose link leads to the description field.
    submit_and_check(driver, driver.find_element(By.LINK_TEXT, "Edit the draft"))
    assert path_of(driver) == f"/staff/catalogue/{code}/edit"
    form = edit_form(driver, code)
    assert form.find_element(By.NAME, "description").get_attribute("value") == ""
    submit_and_check(driver, button_labelled(form, "Save and submit for review"))
    assert response_status(driver) in (422, None)
    summary = driver.find_element(By.CSS_SELECTOR, "main .error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.find_element(By.CSS_SELECTOR, "h2").text.strip() == "There is a problem"
    links = {a.get_attribute("href").split("#", 1)[1]: a for a in summary.find_elements(By.CSS_SELECTOR, "ul a")}
    assert list(links) == ["field-description"], f"error summary links: {[(k, a.text) for k, a in links.items()]}"
    assert links["field-description"].text.strip() == "Describe the service in English."
    field = driver.find_element(By.ID, "field-description")
    assert field.get_attribute("name") == "description"
    assert field.get_attribute("aria-invalid") == "true"
    assert "field-description-error" in (field.get_attribute("aria-describedby") or "").split()
    assert edit_form(driver, code).find_element(By.NAME, "title").get_attribute("value") == title
    links["field-description"].click()
    WebDriverWait(driver, 5).until(lambda d: d.switch_to.active_element.get_attribute("id") == "field-description")

    # The owner fixes it and submits.
    form = edit_form(driver, code)
    fill(form, {"description": description})
    submit_and_check(driver, button_labelled(form, "Save and submit for review"))
    assert path_of(driver) == f"/staff/catalogue/{code}", f"{driver.current_url}\n{main_text(driver)[:1500]}"
    assert "The draft was submitted for review." in main_text(driver)
    assert driver.find_elements(By.CSS_SELECTOR, f"main form[action='/staff/catalogue/{code}/publish']") == []  # owners cannot publish

    with another_browser() as steward:
        # The catalogue steward finds it waiting for review and sends it back with a comment.
        staff_sign_in(steward, base_url, CATALOGUE_STEWARD)
        visit(steward, base_url, "/staff/catalogue")
        waiting = steward.find_elements(By.XPATH, "//main//h2[@id='submitted-heading']/following-sibling::ul[1]//a")
        assert f"/staff/catalogue/{code}" in [urlsplit(a.get_attribute("href")).path for a in waiting], main_text(steward)[:2000]
        visit(steward, base_url, f"/staff/catalogue/{code}")
        assert heading(steward) == title
        assert "The draft meets the catalogue standard." in main_text(steward)
        form = form_with_action(steward, f"/staff/catalogue/{code}/send-back")
        fill(form, {"comment": comment})
        submit_and_check(steward, button_labelled(form, "Send back to the owner"))
        assert path_of(steward) == "/staff/catalogue"
        assert "The draft was sent back to its owner." in main_text(steward)

        # The owner reads the comment, changes the description and submits again.
        visit(driver, base_url, f"/staff/catalogue/{code}")
        note = driver.find_element(By.CSS_SELECTOR, "main .notice--warning")
        assert note.find_element(By.CSS_SELECTOR, "h2").text.strip() == "Comments from the catalogue steward"
        assert note.find_element(By.CSS_SELECTOR, "p").text.strip() == comment
        assert "Sent back" in main_text(driver)
        submit_and_check(driver, driver.find_element(By.LINK_TEXT, "Edit the draft"))
        form = edit_form(driver, code)
        fill(form, {"description": revised})
        submit_and_check(driver, button_labelled(form, "Save the draft"))
        assert path_of(driver) == f"/staff/catalogue/{code}"
        assert "The draft was saved." in main_text(driver)
        form = form_with_action(driver, f"/staff/catalogue/{code}/submit")
        submit_and_check(driver, button_labelled(form, "Submit for review"))
        assert "The draft was submitted for review." in main_text(driver), main_text(driver)[:1500]

        # The steward publishes it.
        visit(steward, base_url, f"/staff/catalogue/{code}")
        assert revised in main_text(steward)  # the changes table shows the new description
        submit_and_check(steward, button_labelled(form_with_action(steward, f"/staff/catalogue/{code}/publish"), "Publish"))
        assert path_of(steward) == f"/staff/catalogue/{code}", f"{steward.current_url}\n{main_text(steward)[:1500]}"
        assert "The new version is published." in main_text(steward)
        public_link = steward.find_element(By.CSS_SELECTOR, f"main a[href='/services/{code}']")
        submit_and_check(steward, public_link)
        assert heading(steward) == title

    # Anyone can now read it: the public service page, without signing in.
    driver.delete_all_cookies()
    visit(driver, base_url, f"/services/{code}")
    assert response_status(driver) in (200, None)
    assert heading(driver) == title
    assert revised in main_text(driver)
    assert driver.find_element(By.CSS_SELECTOR, "main a[href='/ministries/MOTT']")
    assert service_json_ld(driver)["name"] == title
