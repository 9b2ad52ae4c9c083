"""Every case page, as assistive technology reads it: one h1 first, no skipped heading levels,
a label for every control, the four landmarks, no inline script or style — in two languages."""

import itertools
import re
from html.parser import HTMLParser

from django.urls import reverse

from tests.accounts.signin_helpers import sign_in_staff
from tongban.accounts.identifiers import IdentifierKind
from tongban.cases import services
from tongban.cases.constants import CaseStatus

from .conftest import HKID, case_in, draft_for, submitted_case


class PageOutline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.controls: list[dict] = []
        self.label_targets: set[str] = set()
        self.landmarks: set[str] = set()
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag in {"input", "select", "textarea"} and attributes.get("type") != "hidden":
            self.controls.append(attributes)
        elif tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        if tag in {"header", "nav", "main", "footer"}:
            self.landmarks.add(tag)
        if "style" in attributes or (tag == "script" and "src" not in attributes):
            self.inline.append(tag)
        if any(name.startswith("on") for name in attributes):
            self.inline.append(tag)


def check_outline(response, where: str) -> None:
    assert response.status_code == 200, where
    outline = PageOutline()
    outline.feed(response.content.decode())
    assert outline.headings[:1] == [1] and outline.headings.count(1) == 1, where
    skipped = [(a, b) for a, b in itertools.pairwise(outline.headings) if b > a + 1]
    assert not skipped, f"{where}: heading levels skip: {outline.headings}"
    unlabelled = [c for c in outline.controls if c.get("id") not in outline.label_targets]
    assert not unlabelled, f"{where}: controls without a label: {unlabelled}"
    assert outline.landmarks == {"header", "nav", "main", "footer"}, where
    assert not outline.inline, f"{where}: inline script or style on {outline.inline}"


def test_every_case_page_is_well_formed(client, world):
    w = world
    draft = draft_for(w)
    submitted = submitted_case(w)
    supplement = case_in(w, CaseStatus.SUPPLEMENT_REQUESTED)
    decided = case_in(w, CaseStatus.DENIED, decision_reasons="不符合条件", remedy_notice="…")
    services.submit_rating(w.applicant, case_number=decided.number, level=1, comment="差")
    approved = case_in(w, CaseStatus.APPROVED)
    services.record_counter_visit(w.clerk_mo, w.person, zone=w.zones["mo"])  # rated on "mine"
    applicant_pages = [
        reverse("cases:start", args=[w.item.implementation_code]),
        reverse("cases:mine"),
        reverse("cases:edit", args=[draft.number]),
        reverse("cases:materials", args=[draft.number]),
        reverse("cases:consent", args=[draft.number]),
        reverse("cases:review", args=[draft.number]),
        reverse("cases:case", args=[submitted.number]),
        reverse("cases:case", args=[supplement.number]),
        reverse("cases:materials", args=[supplement.number]),
        reverse("cases:case", args=[decided.number]),
        reverse("cases:case", args=[approved.number]),
    ]
    staff_pages = [
        (w.reviewer, reverse("cases:queue")),
        (w.reviewer, reverse("cases:staff_case", args=[submitted.number])),
        (w.reviewer, reverse("cases:staff_case", args=[decided.number])),
        (w.reviewer, reverse("cases:staff_case", args=[approved.number])),
        (w.supervisor, reverse("cases:supervision")),
        (w.clerk_mo, reverse("cases:counter")),
    ]
    for language in ("zh-hant", "en"):
        client.force_login(w.applicant)
        for url in applicant_pages:
            check_outline(client.get(url, HTTP_ACCEPT_LANGUAGE=language), f"{url} {language}")
        for user, url in staff_pages:
            sign_in_staff(client, user)
            check_outline(client.get(url, HTTP_ACCEPT_LANGUAGE=language), f"{url} {language}")

    sign_in_staff(client, w.clerk_mo)
    found = client.post(reverse("cases:counter"), {"kind": IdentifierKind.HKID, "number": HKID})
    check_outline(found, "counter with a person found")
    client.post(
        reverse("cases:counter_start"),
        # The applicant has open cases for this service already: the clerk confirms.
        {
            "item": w.item.implementation_code,
            "identity_checked": "on",
            "idempotency_key": "o-1",
            "start_again": "on",
        },
    )
    number = w.person.cases.filter(channel="counter").get().number
    check_outline(client.get(reverse("cases:counter_case", args=[number])), "counter case")
