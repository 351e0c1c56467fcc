"""The public pages in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``) driven by selenium through a real ``coordhub serve``.

A reader lands on ``/`` in Khmer, switches to English and back, opens a corrected rebuttal
(evidence, both revisions, the earlier one unfolded without any script), a retracted one (the
banner and its reason) and a draft's address (not found); another asks for a correction
from a rebuttal's page and, once the institution has answered, reads the request and the answer
there. Screenshots of every step, at a phone's width and full height, are kept in
``$COORDHUB_SCREENSHOTS`` (else the test's temporary directory) and their folder printed.
Without Chromium the test is skipped, saying why; under ``CI=true`` it fails instead
(``.ci/run`` installs it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from tests.flows import approve_and_publish, correct, ok, triaged_claim
from tests.live import LiveServer
from tests.support import GraphQLClient, number

#: A phone's viewport (CSS pixels).
PHONE = (412, 915)
RETRACTION_REASON = {
    "km": "តួលេខទាំងនេះមកពីការស្ទង់មតិរបស់ឆ្នាំខុស។",
    "en": "The figures came from the wrong year's survey.",
}
CORRECTION_TEXT = "តួលេខនៃការចាក់វ៉ាក់សាំងនេះ មកពីឆ្នាំ ២០១៩ មិនមែនឆ្នាំនេះទេ។"
CORRECTION_SOURCE = "https://stats.example/vaccination-2019"
CORRECTION_ANSWER_KM = "តួលេខទាំងនេះមកពីការស្ទង់មតិឆ្នាំនេះ។"
CORRECTION_ANSWER_EN = "The figures are from this year's survey, linked in the evidence."

STORY = {
    "verdict": "FALSE",
    "headline": {
        "km": "ព័ត៌មានថាវ៉ាក់សាំង HPV បង្កឱ្យមិនអាចមានកូន គឺមិនពិតទេ",
        "en": "The claim that the HPV vaccine causes infertility is false",
    },
    "body": {
        "km": "ក្រសួងសុខាភិបាលមិនបានចេញសេចក្តីជូនដំណឹងណាមួយ ណែនាំឱ្យឪពុកម្តាយបដិសេធវ៉ាក់សាំង HPV ឡើយ។\n\n"
        "វ៉ាក់សាំង HPV ត្រូវបានអង្គការសុខភាពពិភពលោកទទួលស្គាល់។",
        "en": "The Ministry of Health has not issued any notice advising parents to refuse the "
        "HPV vaccine.\n\nThe vaccine is recommended by the World Health Organization.",
    },
    "evidence": [
        {
            "url": "https://www.moh.gov.kh.example/notices/hpv-vaccination-schools",
            "title": {
                "km": "ក្រសួងសុខាភិបាល៖ ការចាក់វ៉ាក់សាំង HPV នៅតាមសាលារៀន",
                "en": "Ministry of Health: HPV vaccination in schools",
            },
            "note": {"km": "សេចក្តីជូនដំណឹងពិតរបស់ក្រសួង។", "en": "The ministry's actual notice."},
        },
        {
            "url": "https://www.moi.gov.kh.example/factcheck/forged-letterheads",
            "title": {
                "km": "របៀបសម្គាល់ក្បាលលិខិតក្រសួងក្លែងក្លាយ",
                "en": "How to recognise a forged ministry letterhead",
            },
        },
    ],
    "channels": [],
}


def _chromium() -> tuple[str, str]:
    """Paths of the browser and its driver, or a skip (a failure under CI) naming what lacks."""
    browser = next(
        filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None
    )
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    missing = " and ".join(
        name for name, path in (("chromium", browser), ("chromedriver", driver)) if not path
    )
    reason = f"{missing} not found: apt-get install -y chromium chromium-driver"
    if os.environ.get("CI") == "true":
        pytest.fail(f"the browser test must run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    binary, driver_path = _chromium()
    os.environ.setdefault("SE_OFFLINE", "true")  # never let selenium fetch a browser or driver
    options = Options()
    options.binary_location = binary
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={PHONE[0]},{PHONE[1]}",
    ):
        options.add_argument(argument)
    # A reader whose browser prefers Khmer, then English.
    options.add_experimental_option("prefs", {"intl.accept_languages": "km,en"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("COORDHUB_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots of the public pages: {folder}")
    return folder


def shoot(driver: WebDriver, folder: Path, name: str) -> None:
    """A full-height screenshot at the phone's width."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(PHONE[0], max(PHONE[1], min(int(height), 8000)))
    assert driver.save_screenshot(str(folder / f"{name}.png")), name
    driver.set_window_size(*PHONE)


def follow(driver: WebDriver, element: WebElement) -> None:
    """Click a link or a submit button and wait until the next page has loaded: ``click``
    returns once the click is sent, and on a busy machine the old page is still there."""
    before = driver.current_url
    element.click()
    WebDriverWait(driver, 30).until(expected_conditions.url_changes(before))


def texts(driver: WebDriver, selector: str) -> list[str]:
    return [element.text for element in driver.find_elements(By.CSS_SELECTOR, selector)]


async def story(gql: GraphQLClient) -> str:
    """A demo-like rebuttal drafted on a fresh claim; its global id."""
    claim_id = await triaged_claim(gql)
    rebuttal = await ok(gql, "draftRebuttal", {"claimId": claim_id, **STORY}, as_="health_editor")
    return str(rebuttal["id"])


async def test_a_reader_browses_the_public_record_in_both_languages(
    browser: WebDriver, screenshots: Path, live: LiveServer
) -> None:
    gql = live.gql
    corrected = await story(gql)
    await approve_and_publish(gql, corrected)
    await correct(gql, corrected, "The HPV vaccine does not cause infertility")
    retracted = await story(gql)
    await approve_and_publish(gql, retracted)
    retraction = {"rebuttalId": retracted, "reason": RETRACTION_REASON}
    await ok(gql, "retractRebuttal", retraction, as_="health_approver")
    draft = await story(gql)

    # The root answers in the browser's language, Khmer.
    browser.get(live.url + "/")
    assert browser.current_url == live.url + "/km/"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "km"
    assert "ការបកស្រាយថ្មីៗ" in browser.find_element(By.TAG_NAME, "h1").text
    shoot(browser, screenshots, "01-km-latest")

    # The language switch leads to the same page in English.
    follow(browser, browser.find_element(By.CSS_SELECTOR, 'nav a[hreflang="en"]'))
    assert browser.current_url == live.url + "/en/"
    # Newest first publication first: the retracted one was published after the other.
    assert texts(browser, "ol.cards h2") == [
        STORY["headline"]["en"],
        "The HPV vaccine does not cause infertility",
    ]
    assert texts(browser, "ol.cards .badge") == ["Retracted", "Corrected"]
    shoot(browser, screenshots, "02-en-latest")

    for language in ("en", "km"):
        browser.get(f"{live.url}/{language}/rebuttals/{number(corrected)}")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
        titles = [e["title"][language] for e in STORY["evidence"]]
        assert texts(browser, "ol.evidence a") == titles
        revisions = browser.find_elements(By.CSS_SELECTOR, "ol.revisions > li")
        assert [r.get_attribute("id") for r in revisions] == ["revision-2", "revision-1"]
        assert browser.find_elements(By.CSS_SELECTOR, "#revision-2 ins")
        earlier = browser.find_element(By.CSS_SELECTOR, "#revision-1 details")
        assert not earlier.find_element(By.TAG_NAME, "h4").is_displayed()
        earlier.find_element(By.TAG_NAME, "summary").click()  # <details>: no script needed
        assert earlier.find_element(By.TAG_NAME, "h4").text == STORY["headline"][language]
        assert browser.find_elements(By.CSS_SELECTOR, "#retraction") == []
        shoot(browser, screenshots, f"03-{language}-corrected-rebuttal")

        browser.get(f"{live.url}/{language}/rebuttals/{number(retracted)}")
        banner = browser.find_element(By.ID, "retraction")
        reason = banner.find_element(By.CLASS_NAME, "reason")
        assert reason.text == RETRACTION_REASON[language]
        shoot(browser, screenshots, f"04-{language}-retracted-rebuttal")

        browser.get(f"{live.url}/{language}/rebuttals/{number(draft)}")
        title = {"en": "Page not found", "km": "រកមិនឃើញទំព័រ"}[language]
        assert browser.find_element(By.TAG_NAME, "h1").text == title
        assert STORY["headline"][language] not in browser.page_source
        shoot(browser, screenshots, f"05-{language}-draft-not-found")

    # The address outlets receive leads to the page in the reader's language.
    browser.get(f"{live.url}/rebuttals/{number(corrected)}")
    assert browser.current_url == f"{live.url}/km/rebuttals/{number(corrected)}"
    browser.get(f"{live.url}/en/about")
    assert browser.find_element(By.ID, "corrections").is_displayed()
    shoot(browser, screenshots, "06-en-about")
    async with httpx.AsyncClient(base_url=live.url) as http:
        assert (await http.get(f"/en/rebuttals/{number(draft)}")).status_code == 404

    # The transparency statistics: drawn charts (the stylesheet's colours, no script), the
    # two published rebuttals counted, the draft not.
    for language in ("km", "en"):
        browser.get(f"{live.url}/{language}/transparency")
        charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
        assert len(charts) == 3
        assert all(chart.size["width"] > 200 and chart.size["height"] > 20 for chart in charts)
        bar = browser.find_element(By.CSS_SELECTOR, "svg.chart rect.bar-rebutted")
        assert bar.value_of_css_property("fill") not in ("", "none", "rgb(0, 0, 0)")
        rebutted = browser.find_element(By.CSS_SELECTOR, "#totals dl div:nth-child(3) dd").text
        assert rebutted == {"en": "2", "km": "២"}[language]
        shoot(browser, screenshots, f"10-{language}-transparency")


async def test_a_reader_asks_for_a_correction_and_reads_the_answer(
    browser: WebDriver, screenshots: Path, live: LiveServer
) -> None:
    gql = live.gql
    rebuttal = await story(gql)
    await approve_and_publish(gql, rebuttal)
    page = f"{live.url}/km/rebuttals/{number(rebuttal)}"
    browser.get(page)
    form = browser.find_element(By.CSS_SELECTOR, "#corrections form")
    form.find_element(By.NAME, "text").send_keys(CORRECTION_TEXT)
    form.find_element(By.NAME, "source_url").send_keys(CORRECTION_SOURCE)
    shoot(browser, screenshots, "07-km-correction-form")
    follow(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    sent = WebDriverWait(browser, 30).until(
        expected_conditions.presence_of_element_located((By.ID, "correction-sent"))
    )
    assert sent.is_displayed()
    shoot(browser, screenshots, "08-km-correction-sent")

    # Unanswered, it is counted but not shown; the institution reads it and answers.
    browser.get(page)
    assert CORRECTION_TEXT not in browser.page_source
    assert browser.find_elements(By.CSS_SELECTOR, "#corrections .awaiting")
    waiting = await gql.execute(
        "{ correctionRequests { edges { node { id text sourceUrl language } } } }",
        as_="health_editor",
    )
    [request] = [edge["node"] for edge in waiting["correctionRequests"]["edges"]]
    assert request["text"] == CORRECTION_TEXT and request["language"] == "km"
    answer = {
        "id": request["id"],
        "outcome": "UPHELD",
        "answer": {"km": CORRECTION_ANSWER_KM, "en": CORRECTION_ANSWER_EN},
    }
    answered = await gql.execute(
        "mutation($input: AnswerCorrectionRequestInput!) { answerCorrectionRequest(input: "
        "$input) { errors { code message } } }",
        {"input": answer},
        as_="health_approver",
    )
    assert answered["answerCorrectionRequest"]["errors"] == []

    for language, text in (("km", CORRECTION_ANSWER_KM), ("en", CORRECTION_ANSWER_EN)):
        browser.get(f"{live.url}/{language}/rebuttals/{number(rebuttal)}")
        [item] = browser.find_elements(By.CSS_SELECTOR, "ol.correction-requests > li")
        assert item.find_element(By.CLASS_NAME, "request-text").text == CORRECTION_TEXT
        assert item.find_element(By.CLASS_NAME, "answer").text == text
        assert item.find_element(By.CSS_SELECTOR, ".url a").text == CORRECTION_SOURCE
        assert not browser.find_elements(By.CSS_SELECTOR, "#corrections .awaiting")
        shoot(browser, screenshots, f"09-{language}-correction-answered")
