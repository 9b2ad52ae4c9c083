"""The cases app's part of "download my data": cases, their files, ratings and counter visits.

A person's cases are those they applied in (``applicant_person``), for themselves or for a
company. Each case carries what its page shows the applicant: the form, the status and the
timeline (staff are "staff", never named), deadlines, supplement requests, the delivery
choice, the uploaded files (their bytes go into the archive) and the numbers of the letters
issued (the documents exporter adds the PDFs, found through ``holder_hashes``).
"""

from __future__ import annotations

from django.core.files.storage import default_storage

from tongban.core.personal_data import (
    ExportFile,
    ExportScope,
    Section,
    document_holders,
    exporters,
    safe_name,
    when,
)

from .constants import CaseAction
from .letters import holder_hash, letters_of
from .models import Attachment, Case, CounterVisit, Rating

CASES_MAX = 10_000  # a person with more is a data error; the archive stays bounded


def _by(user_id: int | None, case: Case, person) -> str:
    if user_id is None:
        return "system"
    if user_id == person.user_id:
        return "you"
    if user_id == case.submitted_by_id:
        return "staff_submitted_for_you"
    return "staff"


def _attachment_path(case: Case, attachment: Attachment) -> str:
    return f"cases/{case.number}/attachments/{attachment.pk}-{safe_name(attachment.original_name)}"


def _attachment(case: Case, attachment: Attachment, person) -> dict:
    return {
        "file": _attachment_path(case, attachment),
        "material": str(attachment.requirement) if attachment.requirement else None,
        "original_name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "scan_status": attachment.scan_status,
        "supplement_round": attachment.supplement_round,
        "uploaded_by": _by(attachment.uploaded_by_id, case, person),
        "uploaded_at": when(attachment.uploaded_at),
    }


def _events(case: Case, person) -> list[dict]:
    return [
        {
            "action": event.action,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "at": when(event.at),
            "by": _by(event.actor_id, case, person),
            "note": event.note,
            "reasons": event.reasons,
        }
        for event in case.events.order_by("id")
        if event.action != CaseAction.SAVE_DRAFT  # autosaves: not on the applicant's timeline
    ]


def _supplements(case: Case) -> list[dict]:
    return [
        {
            "round": request.round,
            "missing_materials": [
                str(material)
                for material in case.item.materials.filter(pk__in=request.missing_requirements)
            ],
            "missing_other": request.missing_other,
            "note": request.note,
            "requested_at": when(request.requested_at),
            "due": when(request.due),
            "answered_at": when(request.answered_at),
        }
        for request in case.supplement_requests.order_by("round")
    ]


def _delivery(case: Case) -> dict | None:
    delivery = getattr(case, "result_delivery", None)
    if delivery is None:
        return None
    return {
        "method": delivery.method,
        "pickup_zone": delivery.pickup_zone.code if delivery.pickup_zone else None,
        "post_region": delivery.post_region,
        "post_recipient": delivery.post_recipient,
        "post_phone": delivery.post_phone,
        "post_address": delivery.post_address,
        "chosen_at": when(delivery.chosen_at),
        "document": delivery.document.number if delivery.document else None,
        "tracking_number": delivery.tracking_number,
        "due": when(delivery.due),
        "delivered_at": when(delivery.delivered_at),
        "delivered_late": delivery.delivered_late,
    }


def _letters(case: Case) -> list[dict]:
    return [
        {
            "number": letter.number,
            "kind": letter.kind,
            "title": letter.title,
            "issued_at": when(letter.issued_at),
            "file": f"documents/{letter.number}.pdf",
        }
        for letter in letters_of(case)
    ]


def _company(case: Case) -> dict | None:
    company = case.applicant_company
    if company is None:
        return None
    return {
        "name_zh": company.name_zh,
        "name_en": company.name_en,
        "identifier_kind": company.identifier_kind,
        "identifier_masked": company.identifier_masked,
    }


def _case(case: Case, attachments: list[Attachment], person) -> dict:
    return {
        "number": case.number,
        "item": {"code": case.item.implementation_code, "name": str(case.item.name_zh_hans)},
        "department": str(case.department),
        "company": _company(case),
        "channel": case.channel,
        "received_at_zone": case.received_at_zone.code if case.received_at_zone else None,
        "identity_checked": {
            "document_kind": case.identity_document_kind,
            "number_masked": case.identity_number_masked,
            "at": when(case.identity_checked_at),
        }
        if case.identity_checked_at
        else None,
        "status": case.status,
        "form_data": case.form_data,
        "dates": {
            name: when(getattr(case, name))
            for name in (
                "created_at",
                "submitted_at",
                "materials_complete_at",
                "accepted_at",
                "decided_at",
                "delivered_at",
                "closed_at",
                "withdrawn_at",
            )
        },
        "deemed_accepted": case.deemed_accepted,
        "deadlines": {
            "statutory_due": when(case.statutory_due),
            "promised_due": when(case.promised_due),
            "working_days_paused": case.paused_days,
            "paused_since": when(case.paused_since),
            "pause_reason": case.pause_reason,
            "special_procedure": case.special_procedure,
            "extended": case.extended,
            "extension_reason": case.extension_reason,
            "flag": case.deadline_flag,
        },
        "decision_reasons": case.decision_reasons,
        "rights_of_appeal": case.remedy_notice,
        "delivery": _delivery(case),
        "timeline": _events(case, person),
        "supplement_requests": _supplements(case),
        "attachments": [_attachment(case, a, person) for a in attachments],
        "letters": _letters(case),
    }


def _cases_of(person):
    return (
        Case.objects.filter(applicant_person=person)
        .select_related(
            "item",
            "department",
            "applicant_company",
            "received_at_zone",
            "result_delivery__pickup_zone",
            "result_delivery__document",
        )
        .order_by("pk")[:CASES_MAX]
    )


def _opener(storage_name: str):
    return lambda: default_storage.open(storage_name, "rb")


def export_cases(scope: ExportScope):
    person = scope.person
    rows, files = [], []
    for case in _cases_of(person):
        attachments = list(case.attachments.select_related("requirement").order_by("id"))
        rows.append(_case(case, attachments, person))
        files += [
            ExportFile(
                _attachment_path(case, attachment),
                _opener(attachment.storage_name),
                {"case": case.number, "kind": "attachment"},
            )
            for attachment in attachments
        ]
    yield Section("cases", rows)
    yield from files
    yield Section("ratings", _ratings(person))
    yield Section("counter_visits", _visits(person))


# --- Ratings (好差评), their follow-ups and appeals ----------------------------------------------


def _follow_up(rating: Rating) -> dict | None:
    follow_up = getattr(rating, "follow_up", None)
    if follow_up is None:
        return None
    return {
        "status": follow_up.status,
        "opened_at": when(follow_up.opened_at),
        "due": when(follow_up.due),
        "outcome": follow_up.outcome,
        "outcome_note": follow_up.outcome_note,
        "outcome_at": when(follow_up.outcome_at),
        "your_feedback": follow_up.feedback,
        "your_feedback_note": follow_up.feedback_note,
        "feedback_at": when(follow_up.feedback_at),
        "call_backs": [
            {"called_at": when(call.called_at), "reached": call.reached, "note": call.note}
            for call in follow_up.call_backs.order_by("called_at", "pk")
        ],
    }


def _ratings(person) -> list[dict]:
    ratings = (
        Rating.objects.filter(person=person)
        .select_related("case", "counter_visit", "follow_up")
        .order_by("pk")
    )
    return [
        {
            "case": rating.case.number if rating.case else None,
            "counter_visit_at": when(rating.counter_visit.visited_at)
            if rating.counter_visit
            else None,
            "level": rating.level,
            "grade": rating.grade,
            "comment": rating.comment,
            "scores": {s.dimension: s.score for s in rating.scores.all()},
            "submitted_at": when(rating.submitted_at),
            "status": rating.status,
            "removed_at": when(rating.removed_at),
            "follow_up": _follow_up(rating),
            "appeals": [
                {
                    "reason": appeal.reason,
                    "filed_at": when(appeal.filed_at),
                    "status": appeal.status,
                    "decided_at": when(appeal.decided_at),
                    "decision_note": appeal.decision_note,
                }
                for appeal in rating.appeals.order_by("filed_at", "pk")
            ],
        }
        for rating in ratings
    ]


def _visits(person) -> list[dict]:
    visits = CounterVisit.objects.filter(person=person).select_related("zone", "case")
    return [
        {
            "zone": visit.zone.code,
            "visited_at": when(visit.visited_at),
            "case": visit.case.number if visit.case else None,
            "what_was_done": visit.note,
        }
        for visit in visits.order_by("pk")
    ]


def case_letter_holders(person):
    """Holder hashes of the letters of the person's cases, for the documents exporter."""
    numbers = Case.objects.filter(applicant_person=person).values_list("number", flat=True)
    return [holder_hash(Case(number=number)) for number in numbers[:CASES_MAX]]


def register() -> None:
    """Called once from ``CasesConfig.ready``."""
    if "cases" not in exporters:
        exporters.register("cases", export_cases)
    if "cases" not in document_holders:
        document_holders.register("cases", case_letter_holders)
