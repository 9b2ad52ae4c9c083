"""A small world for case tests: two departments, items, applicants with consent, staff.

``world`` holds the actors (applicant, other_applicant, clerk_mo, clerk_hk, reviewer,
reviewer_tax, supervisor) and the items; ``files`` makes small valid PDFs and images;
``case_in(status)`` builds a case directly in any state, as the services would have left it.
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from tests.accounts import conftest as accounts_fixtures
from tests.catalog.factories import make_item
from tongban.accounts import services as accounts
from tongban.accounts.constants import ConsentPurpose, Role
from tongban.accounts.identifiers import IdentifierKind
from tongban.cases import services
from tongban.cases.constants import CaseStatus, PauseReason, SpecialProcedure
from tongban.cases.models import Case, SupplementRequest, case_number
from tongban.catalog import constants as c
from tongban.core import counters

# Fixtures shared with the accounts tests.
zones = accounts_fixtures.zones
departments = accounts_fixtures.departments
make_user = accounts_fixtures.make_user
make_applicant = accounts_fixtures.make_applicant
_fast_password_hashing = accounts_fixtures._fast_password_hashing

HKID = "A123456(3)"
OTHER_HKID = "B1234566"
CHANNELS = [c.Channel.COUNTER, c.Channel.ONLINE, c.Channel.KIOSK, c.Channel.VIDEO]


def consent(person):
    accounts.give_consent(
        person.user, person, ConsentPurpose.CASE_PROCESSING, language=person.preferred_language
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db, make_user, make_applicant, zones, departments):
    housing, tax = departments["housing"], departments["tax"]
    item = make_item(housing, materials=2, channels=CHANNELS)
    may_follow = item.materials.get(position=2)
    may_follow.necessity = c.Necessity.MAY_FOLLOW
    may_follow.save()
    on_the_spot = make_item(
        housing,
        materials=0,
        channels=CHANNELS,
        handling_type=c.HandlingType.ON_THE_SPOT,
        statutory_limit=1,
        promised_limit=1,
    )
    tax_item = make_item(tax, materials=0, channels=CHANNELS)
    applicant = make_applicant("chan@example.com", documents=[(IdentifierKind.HKID, HKID)])
    other = make_applicant(
        "lee@example.com", documents=[(IdentifierKind.HKID, OTHER_HKID)], name_zh="李小明"
    )
    consent(applicant)
    consent(other)
    staff = dict(
        clerk_mo=make_user("clerk.mo@example.com", Role.ZONE_CLERK, zone=zones["mo"]),
        clerk_hk=make_user("clerk.hk@example.com", Role.ZONE_CLERK, zone=zones["hk"]),
        reviewer=make_user("reviewer@example.com", Role.DEPARTMENT_REVIEWER, department=housing),
        reviewer_tax=make_user("tax@example.com", Role.DEPARTMENT_REVIEWER, department=tax),
        supervisor=make_user("supervisor@example.com", Role.SUPERVISOR),
    )
    for user in staff.values():
        # Staff sessions need an authenticator app (accounts.signin's middleware).
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return SimpleNamespace(
        item=item,
        required=item.materials.get(position=1),
        may_follow=may_follow,
        on_the_spot=on_the_spot,
        tax_item=tax_item,
        person=applicant,
        applicant=applicant.user,
        other_person=other,
        other_applicant=other.user,
        **staff,
        zones=zones,
        housing=housing,
        tax=tax,
    )


# --- Files ------------------------------------------------------------------------------------


def pdf_bytes(extra: bytes = b"") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue() + extra


def image_bytes(fmt: str = "PNG", size=(40, 30), exif: bool = False) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x8825] = {2: (22.0, 11.0, 0.0)}  # GPS info
        image.save(out, format=fmt, exif=data)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


# --- Cases in any state ----------------------------------------------------------------------


def draft_for(w, *, item=None, actor=None, **kwargs) -> Case:
    actor = actor or w.applicant
    return services.start_draft(actor, (item or w.item).implementation_code, **kwargs)


def submitted_case(w, *, item=None) -> Case:
    case = draft_for(w, item=item)
    item = item or w.item
    for material in item.materials.filter(necessity=c.Necessity.REQUIRED):
        services.add_attachment(
            w.applicant, case.number, upload("id.pdf", pdf_bytes()), requirement_id=material.pk
        )
    return services.submit(w.applicant, case.number)


ACCEPTED_STATES = {
    CaseStatus.ACCEPTED,
    CaseStatus.IN_REVIEW,
    CaseStatus.SPECIAL_PROCEDURE,
    CaseStatus.APPROVED,
    CaseStatus.DENIED,
    CaseStatus.DELIVERED,
    CaseStatus.CLOSED,
}


def case_in(w, status: str, *, item=None, during_review: bool = False, **fields) -> Case:
    """A case placed directly in ``status`` with the dates that state implies."""
    item = item or w.item
    now = timezone.now()
    today = timezone.localdate()
    year = today.year
    accepted = status in ACCEPTED_STATES or during_review
    values = dict(
        number=case_number(year, counters.next_value(f"case-{year}")),
        item=item,
        department_id=item.department_id,
        applicant_person=w.person,
        submitted_by=w.applicant,
        channel=c.Channel.ONLINE,
        status=status,
        submitted_at=None if status == CaseStatus.DRAFT else now,
        materials_complete_at=None if status == CaseStatus.DRAFT else now,
        accepted_at=now if accepted else None,
        statutory_due=today + dt.timedelta(days=40) if accepted else None,
        promised_due=today + dt.timedelta(days=14) if accepted else None,
    )
    if status == CaseStatus.SPECIAL_PROCEDURE:
        values.update(
            paused_since=today,
            pause_reason=PauseReason.SPECIAL_PROCEDURE,
            special_procedure=SpecialProcedure.HEARING,
        )
    if status == CaseStatus.SUPPLEMENT_REQUESTED and during_review:
        values.update(paused_since=today, pause_reason=PauseReason.SUPPLEMENT)
    values.update(fields)
    case = Case.objects.create(**values)
    if status == CaseStatus.SUPPLEMENT_REQUESTED:
        SupplementRequest.objects.create(
            case=case,
            round=1,
            missing_other=["a clearer copy"],
            requested_by=w.reviewer,
            requested_at=now,
        )
    return case
