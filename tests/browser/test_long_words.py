"""One unbroken long word typed into a concern or a case must wrap on a phone, not widen the
page (it once made the phone page 85,000 px wide). At 390 px the concern page, the case page,
the case list and the front page have no horizontal scroll, and stay accessible."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from cases import services as case_services
from cases.models import Case, Concern
from forum.models import Body, Municipality, Person
from ssp.models import User
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, watched_page
from tests.factories import CaseFactory, ConcernFactory, YoungPersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
LONG_WORD = "Langtordudenmellemrum" * 238  # 4,998 characters, no place to break
LONG_NAME = ("Langtnavn" * 23)[:200]  # as long as a young person's name may be


def _long_words_in_a_concern_and_a_case() -> tuple[Concern, Case]:
    glostrup = Municipality.objects.get(code="161")
    consultant = User.objects.get(email="konsulent@demo.ssp")
    young_person = YoungPersonFactory(
        municipality=glostrup, created_by=consultant, full_name=LONG_NAME
    )
    concern = ConcernFactory(
        municipality=glostrup,
        author=consultant,
        young_person=young_person,
        description=LONG_WORD,
        location=LONG_WORD[:200],
    )
    case = CaseFactory(
        municipality=glostrup,
        opened_by=consultant,
        young_person=young_person,
        responsible_body=Body.objects.get(name="Mandagsgruppen (§115)"),
    )
    case_services.note_add(case=case, author=consultant, text=LONG_WORD)
    case_services.action_add(
        case=case,
        by=consultant,
        title=LONG_WORD[:300],
        responsible=Person.objects.get(user=consultant, municipality=glostrup),
    )
    return concern, case


def test_a_five_thousand_character_word_causes_no_horizontal_scroll_on_a_phone(
    browser: Browser, demo_site: str
) -> None:
    concern, case = _long_words_in_a_concern_and_a_case()
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="da-DK",
    )
    with watched_page(context) as phone:
        log_in(phone, demo_site, "konsulent@demo.ssp")
        pages = {
            "the concern page": f"/bekymringer/{concern.pk}/",
            "the case page": f"/sager/{case.pk}/",
            "the case list": "/sager/",
            "the front page": "/",
        }
        for name, path in pages.items():
            phone.goto(f"{demo_site}{path}")
            assert LONG_WORD[:200] in phone.content() or LONG_NAME in phone.content(), (
                f"{name} does not show the long word, so it proves nothing"
            )
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE_WIDTH, f"{name} is {width} px wide on a {PHONE_WIDTH} px phone"
            assert_accessible(phone)
