"""The shapes /api/v1/cases reads and answers (``cases.api``); the OpenAPI document shows them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from tongban.core.ids import DatabaseId

from .constants import DeliveryMethod, SpecialProcedure


class CaseOut(Schema):
    number: str
    status: str
    status_label: str
    item: str = Field(description="Implementation code of the catalog item")
    item_name: str
    department: str = Field(description="Credit code of the department")
    channel: str
    received_at_zone: str | None
    applicant: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    accepted_at: dt.datetime | None
    deemed_accepted: bool
    decided_at: dt.datetime | None
    delivered_at: dt.datetime | None
    statutory_due: dt.date | None
    promised_due: dt.date | None
    deadline_flag: str
    clock_paused: bool
    paused_days: int
    extended: bool
    extension_reason: str
    calendar_warning: str
    decision_reasons: str
    remedy_notice: str

    @staticmethod
    def of(case) -> CaseOut:
        return CaseOut(
            number=case.number,
            status=case.status,
            status_label=str(case.get_status_display()),
            item=case.item.implementation_code,
            item_name=case.item.name,
            department=case.department.credit_code,
            channel=case.channel,
            received_at_zone=case.received_at_zone.code if case.received_at_zone_id else None,
            applicant=case.applicant_person.display_name,
            created_at=case.created_at,
            submitted_at=case.submitted_at,
            accepted_at=case.accepted_at,
            deemed_accepted=case.deemed_accepted,
            decided_at=case.decided_at,
            delivered_at=case.delivered_at,
            statutory_due=case.statutory_due,
            promised_due=case.promised_due,
            deadline_flag=case.deadline_flag,
            clock_paused=case.clock_paused,
            paused_days=case.paused_days,
            extended=case.extended,
            extension_reason=case.extension_reason,
            calendar_warning=case.calendar_warning,
            decision_reasons=case.decision_reasons,
            remedy_notice=case.remedy_notice,
        )


class EventOut(Schema):
    action: str
    label: str
    from_status: str
    to_status: str
    at: dt.datetime
    by: str
    note: str
    reasons: str


class AttachmentOut(Schema):
    id: int
    requirement: int | None
    name: str
    content_type: str
    size: int
    sha256: str
    scan_status: str
    uploaded_at: dt.datetime
    supplement_round: int

    @staticmethod
    def of(a) -> AttachmentOut:
        return AttachmentOut(
            id=a.pk,
            requirement=a.requirement_id,
            name=a.original_name,
            content_type=a.content_type,
            size=a.size,
            sha256=a.sha256,
            scan_status=a.scan_status,
            uploaded_at=a.uploaded_at,
            supplement_round=a.supplement_round,
        )


class SupplementOut(Schema):
    round: int
    missing_requirements: list[int]
    missing_other: list[str]
    note: str
    requested_at: dt.datetime
    due: dt.date | None
    answered_at: dt.datetime | None


class CaseDetailOut(Schema):
    case: CaseOut
    timeline: list[EventOut]
    attachments: list[AttachmentOut]
    supplement_requests: list[SupplementOut]
    actions: list[str] = Field(description="What the caller may do now")


class CasePage(Schema):
    items: list[CaseOut]
    next: str | None = Field(description="Pass as `after` for the next page; null at the end")


class IdentityCheckIn(Schema):
    document_kind: str
    number: str = Field(max_length=40)


class DraftIn(Schema):
    item: str = Field(max_length=36, description="Implementation code of the catalog item")
    applicant_person_id: DatabaseId | None = Field(None, description="Clerks: the person applying")
    company_id: DatabaseId | None = None
    channel: str | None = None
    zone: str | None = Field(None, max_length=16, description="Zone code (counter, kiosk)")
    identity_check: IdentityCheckIn | None = None
    form_data: dict[str, Any] = {}


class FormIn(Schema):
    form_data: dict[str, Any]


class NoteIn(Schema):
    note: str = Field("", max_length=4000)


class ReasonsIn(NoteIn):
    reasons: str = Field(max_length=4000)


class SupplementIn(NoteIn):
    missing_requirements: list[int] = []
    missing_other: list[str] = []
    answer_within_days: int | None = None


class SpecialProcedureIn(NoteIn):
    procedure: SpecialProcedure


class ExtendIn(Schema):
    reason: str = Field(max_length=4000)


class DeliverIn(NoteIn):
    method: DeliveryMethod
    zone: str | None = Field(None, max_length=16)
