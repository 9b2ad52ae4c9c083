"""Drafts, submission, idempotency, consent, materials, and the clerk's identity check."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tongban.accounts import services as accounts
from tongban.accounts.constants import ConsentPurpose
from tongban.accounts.identifiers import IdentifierKind
from tongban.cases import services
from tongban.cases.constants import CaseAction, CaseStatus, Channel
from tongban.cases.models import Case, CaseEvent
from tongban.core.models import AuditEvent

from .conftest import HKID, draft_for, pdf_bytes, upload


def codes(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors}


def test_journey_from_draft_to_closed(world):
    w = world
    case = draft_for(w, form_data={"purpose": "bank loan"})
    assert case.number.startswith("JM-20") and case.status == CaseStatus.DRAFT
    assert case.channel == Channel.ONLINE and case.department == w.housing
    services.add_attachment(
        w.applicant, case.number, upload("permit.pdf", pdf_bytes()), requirement_id=w.required.pk
    )
    case = services.submit(w.applicant, case.number)
    assert case.status == CaseStatus.SUBMITTED
    submit_event = case.events.get(action=CaseAction.SUBMIT)
    assert submit_event.data["may_follow"] == [w.may_follow.pk]

    services.request_supplement(
        w.reviewer, case.number, missing_requirements=[w.may_follow.pk], note="请补交营业执照"
    )
    services.add_attachment(
        w.applicant, case.number, upload("licence.pdf", pdf_bytes()), requirement_id=w.may_follow.pk
    )
    case = services.resubmit(w.applicant, case.number)
    assert case.status == CaseStatus.SUBMITTED
    case = services.accept(w.reviewer, case.number)
    assert case.statutory_due and case.promised_due and case.promised_due <= case.statutory_due
    services.start_review(w.reviewer, case.number)
    services.approve(w.reviewer, case.number)
    case = services.deliver(w.reviewer, case.number, method="download")
    case = services.close(w.reviewer, case.number)
    assert case.status == CaseStatus.CLOSED
    actions = list(case.events.values_list("action", flat=True))
    assert actions[:3] == ["start_draft", "add_attachment", "submit"]
    assert actions[-1] == "close"
    audited = set(AuditEvent.objects.filter(object_id=case.number).values_list("event", flat=True))
    assert {"case_submitted", "case_accepted", "case_approved", "case_closed"} <= audited


def test_required_material_missing_blocks_submission_and_names_it(world):
    case = draft_for(world)
    with pytest.raises(ValidationError) as caught:
        services.submit(world.applicant, case.number)
    assert "materials_missing" in codes(caught.value)
    assert world.required.name in str(caught.value)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DRAFT


def test_submission_needs_current_cross_border_consent(world):
    w = world
    case = draft_for(w)
    services.add_attachment(
        w.applicant, case.number, upload("a.pdf", pdf_bytes()), requirement_id=w.required.pk
    )
    accounts.withdraw_consent(w.applicant, w.person, ConsentPurpose.CASE_PROCESSING)
    with pytest.raises(ValidationError) as caught:
        services.submit(w.applicant, case.number)
    assert "consent_missing" in {e.code for e in caught.value.error_list}
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DRAFT
    assert not CaseEvent.objects.filter(case=case, action=CaseAction.SUBMIT).exists()


def test_same_idempotency_key_gives_the_same_case(world):
    w = world
    first = draft_for(w, idempotency_key="k-1")
    again = draft_for(w, idempotency_key="k-1")
    assert first.pk == again.pk
    services.add_attachment(
        w.applicant, first.number, upload("a.pdf", pdf_bytes()), requirement_id=w.required.pk
    )
    submitted = services.submit(w.applicant, first.number, idempotency_key="k-1")
    replay = services.submit(w.applicant, first.number, idempotency_key="k-1")
    assert replay.pk == submitted.pk and replay.status == CaseStatus.SUBMITTED
    assert Case.objects.filter(submitted_by=w.applicant).count() == 1
    assert CaseEvent.objects.filter(case=first, action=CaseAction.SUBMIT).count() == 1


def test_submitting_twice_without_a_key_is_refused(world):
    w = world
    case = draft_for(w)
    services.add_attachment(
        w.applicant, case.number, upload("a.pdf", pdf_bytes()), requirement_id=w.required.pk
    )
    services.submit(w.applicant, case.number)
    with pytest.raises(services.IllegalTransition):
        services.submit(w.applicant, case.number)


def test_key_reused_for_another_item_is_refused(world):
    draft_for(world, idempotency_key="same")
    with pytest.raises(ValidationError) as caught:
        draft_for(world, item=world.tax_item, idempotency_key="same")
    assert "idempotency_key_reused" in codes(caught.value)


def test_clerk_submits_for_applicant_recording_the_identity_check(world):
    w = world
    check = services.IdentityCheck(IdentifierKind.HKID, HKID)
    case = draft_for(w, actor=w.clerk_mo, applicant=w.person, identity_check=check)
    assert case.channel == Channel.COUNTER
    assert case.received_at_zone == w.zones["mo"]
    assert case.identity_checked_by == w.clerk_mo and case.identity_checked_at
    assert case.identity_number_masked and "123456" not in case.identity_number_masked
    services.add_attachment(
        w.clerk_mo, case.number, upload("a.pdf", pdf_bytes()), requirement_id=w.required.pk
    )
    assert services.submit(w.clerk_mo, case.number).status == CaseStatus.SUBMITTED


def test_clerk_with_the_wrong_document_is_refused(world):
    w = world
    wrong = services.IdentityCheck(IdentifierKind.HKID, "B1234566")
    with pytest.raises(ValidationError) as caught:
        draft_for(w, actor=w.clerk_mo, applicant=w.person, identity_check=wrong)
    assert "identity_mismatch" in codes(caught.value)
    assert not Case.objects.exists()


def test_applicant_cannot_start_a_case_for_someone_else(world):
    with pytest.raises(PermissionDenied):
        draft_for(world, applicant=world.other_person)


def test_reviewer_cannot_start_a_case(world):
    with pytest.raises(ValidationError):
        draft_for(world, actor=world.reviewer)


def test_drafts_save_and_resume(world):
    case = draft_for(world)
    services.save_draft(world.applicant, case.number, form_data={"address": "澳門"})
    detail = services.case_detail(world.applicant, case.number)
    assert detail.case.form_data == {"address": "澳門"}
    assert CaseAction.SUBMIT in detail.actions


def test_case_numbers_run_per_year_without_gaps(world):
    numbers = [draft_for(world).number for _ in range(3)]
    tails = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert tails == list(range(tails[0], tails[0] + 3))


def test_applicants_cannot_claim_a_counter_channel(world):
    with pytest.raises(ValidationError) as caught:
        draft_for(world, channel=Channel.COUNTER, zone=world.zones["mo"])
    assert "clerk_channel" in codes(caught.value)


def test_a_failure_while_auditing_leaves_the_case_untouched(world, monkeypatch):
    from tongban.cases import events

    from .conftest import case_in

    case = case_in(world, CaseStatus.SUBMITTED)

    def broken(*args, **kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(events.audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.accept(world.reviewer, case.number)
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.status == CaseStatus.SUBMITTED and fresh.accepted_at is None
    assert fresh.statutory_due is None
    assert not CaseEvent.objects.filter(case=case).exists()


def test_the_audit_trail_vouches_for_the_files_handed_in(world):
    w = world
    case = draft_for(w)
    attachment = services.add_attachment(
        w.applicant, case.number, upload("a.pdf", pdf_bytes()), requirement_id=w.required.pk
    )
    services.submit(w.applicant, case.number)
    submitted = AuditEvent.objects.get(object_id=case.number, event="case_submitted")
    assert submitted.payload["files"] == [[attachment.pk, attachment.sha256]]
    services.request_supplement(w.reviewer, case.number, missing_other=["签名页"])
    extra = services.add_attachment(w.applicant, case.number, upload("b.pdf", pdf_bytes(b"%2")))
    services.resubmit(w.applicant, case.number)
    resubmitted = AuditEvent.objects.get(object_id=case.number, event="case_resubmitted")
    assert resubmitted.payload["files"] == [[extra.pk, extra.sha256]]
