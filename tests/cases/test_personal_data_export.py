"""Download my data across apps: a person with a case, files, letters, a certificate, messages,
a rating and a revoked company authorisation gets all of it in one zip, hashes that match,
the revoked company's number masked, and nothing of anyone else."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.accounts.conftest import PASSWORD
from tests.cases.conftest import OTHER_HKID, draft_for, image_bytes, pdf_bytes, upload
from tongban.accounts import services as accounts
from tongban.cases import services
from tongban.cases.constants import LetterKind
from tongban.cases.models import Attachment
from tongban.certificates import services as certificates
from tongban.core.models import AuditEvent
from tongban.documents import services as documents
from tongban.notifications import services as notifications
from tongban.notifications.constants import Event

COMPANY_BR = "87654321"
SECTIONS = {
    "profile",
    "identity_documents",
    "company_authorisations",
    "cross_border_consents",
    "data_requests",
    "account_events",
    "cases",
    "ratings",
    "counter_visits",
    "notifications",
    "documents",
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def submitted_with_files(w, actor, person_files: list[tuple[str, bytes, str]]):
    case = draft_for(w, actor=actor)
    for name, content, content_type in person_files:
        services.add_attachment(
            actor, case.number, upload(name, content, content_type), requirement_id=w.required.pk
        )
    return services.submit(actor, case.number)


def download(user) -> zipfile.ZipFile:
    """Through the page, as the person does: sign in, ask, give the password again."""
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    response = client.post(reverse("accounts:download_my_data"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def full_life(world):
    """The applicant's case from upload to rating, plus a company that let them go."""
    w = world
    case = submitted_with_files(
        w,
        w.applicant,
        [
            ("passport.pdf", pdf_bytes(b"%mine"), "application/pdf"),
            ("photo.png", image_bytes(), ""),
        ],
    )
    services.accept(w.reviewer, case.number)
    letter = services.issue_letter_now(case, LetterKind.ACCEPTANCE)
    case = services.approve(w.reviewer, case.number)
    services.submit_rating(w.applicant, case_number=case.number, level=1, comment="Too slow")
    certificate = certificates.issue_certificate(w.applicant, "real_estate")
    notifications.notify(Event.CASE_ACCEPTED, case, to=[w.applicant], source="test:mine")
    company = accounts.create_company(
        w.other_applicant,
        identifier_kind="hk-br",
        identifier=COMPANY_BR,
        name_en="Lee Trading Ltd",
        authorise_person=w.other_person,
    )
    (authorisation,) = accounts.authorise(w.other_applicant, w.person, company, ["apply"])
    accounts.revoke_authorisation(w.other_applicant, authorisation)
    # Someone else's life, which must never appear in the applicant's archive.
    theirs = submitted_with_files(
        w, w.other_applicant, [("theirs.pdf", pdf_bytes(b"%theirs"), "application/pdf")]
    )
    notifications.notify(Event.CASE_SUBMITTED, theirs, to=[w.other_applicant], source="test:x")
    return case, letter, certificate, company, theirs


def test_the_archive_holds_everything_about_the_person_and_nothing_else(world, full_life):
    w = world
    case, letter, certificate, company, theirs = full_life
    archive = download(w.applicant)
    manifest = json.loads(archive.read("manifest.json"))

    # Every file in the manifest, with the hash of the bytes the zip holds.
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    assert manifest["missing_files"] == []
    sections = {s["name"]: json.loads(archive.read(s["path"])) for s in manifest["sections"]}
    assert set(sections) == SECTIONS

    # The case: form, timeline, deadlines, its files byte for byte, its letter.
    (exported_case,) = sections["cases"]
    assert exported_case["number"] == case.number
    assert exported_case["status"] == "approved"
    assert {"submit", "accept", "approve"} <= {e["action"] for e in exported_case["timeline"]}
    assert exported_case["deadlines"]["statutory_due"]
    for attachment in Attachment.objects.filter(case=case):
        (row,) = [a for a in exported_case["attachments"] if a["sha256"] == attachment.sha256]
        with default_storage.open(attachment.storage_name, "rb") as stored:
            assert archive.read(row["file"]) == stored.read()
    assert len(exported_case["attachments"]) == 2
    assert [x["number"] for x in exported_case["letters"]] == [letter.number]

    # Letters and certificates: the signed PDFs as issued.
    numbers = {d["number"] for d in sections["documents"]}
    assert numbers == {letter.number, certificate.number}
    for document in (letter, certificate):
        assert archive.read(f"documents/{document.number}.pdf") == documents.read_pdf(document)

    # Messages, the rating and its follow-up.
    inbox = sections["notifications"]["inbox"]
    assert [n["event"] for n in inbox] == [Event.CASE_ACCEPTED]
    assert sections["notifications"]["sent"]
    (rating,) = sections["ratings"]
    assert rating["case"] == case.number and rating["comment"] == "Too slow"
    assert rating["follow_up"]["status"]

    # The revoked authorisation: the company's number masked, nowhere in full.
    (revoked,) = sections["company_authorisations"]
    assert revoked["revoked_at"] and revoked["company_identifier_masked"]
    assert revoked["company_identifier"] == company.identifier_masked
    every_section = "".join(archive.read(s["path"]).decode() for s in manifest["sections"])
    assert COMPANY_BR not in every_section

    # The person's own identity number in full; nobody else's data at all.
    assert w.person.documents.get().number in every_section
    for foreign in (theirs.number, OTHER_HKID, "李小明", "lee@example.com"):
        assert foreign not in every_section
    their_file = Attachment.objects.get(case=theirs)
    assert their_file.sha256 not in {entry["sha256"] for entry in manifest["files"]}
    assert not any("theirs" in name for name in archive.namelist())

    # Audited without identifiers.
    event = AuditEvent.objects.get(event="personal_data_exported")
    assert event.object_id == str(w.person.pk)
    assert set(event.payload) == {"sections", "files"}


def test_a_stored_file_that_is_gone_is_listed_as_missing(world):
    w = world
    case = submitted_with_files(w, w.applicant, [("passport.pdf", pdf_bytes(), "application/pdf")])
    attachment = Attachment.objects.get(case=case)
    default_storage.delete(attachment.storage_name)
    with accounts.export_personal_data(w.applicant, w.person) as exported:
        archive = zipfile.ZipFile(exported)
        manifest = json.loads(archive.read("manifest.json"))
    (missing,) = manifest["missing_files"]
    assert missing["case"] == case.number
    assert missing["path"] not in archive.namelist()


def test_an_administrator_exporting_sees_masked_numbers(world, make_user):
    from tongban.accounts.constants import Role

    admin = make_user("admin@example.com", Role.ADMINISTRATOR)
    with accounts.export_personal_data(admin, w := world.person) as exported:
        archive = zipfile.ZipFile(exported)
        (document,) = json.loads(archive.read("data/identity_documents.json"))
    assert document["masked"] and document["number"] == w.documents.get().number_masked
