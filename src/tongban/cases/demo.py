"""Demo cases for ``tongban demo`` (through ``services.create_demo_cases``).

Cases in every state for the demo residents, received online and at each zone's counter, with
small generated PDF and PNG attachments, one supplement round trip, a few cases past their
due dates, and — when the ratings part of the services is installed — ratings, one of them
bad with its follow-up. Every step goes through the same service functions as the pages, so
the timelines, audit trail and letters are those a real case would have; only the dates of
the overdue cases are moved back afterwards (a demo cannot wait a month).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import structlog
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts import services as accounts
from tongban.accounts.constants import ConsentPurpose, Role
from tongban.catalog import services as catalog
from tongban.catalog.constants import Channel as CatalogChannel
from tongban.catalog.constants import Necessity
from tongban.core import workdays

from .constants import CaseStatus as S
from .constants import DeliveryMethod, SpecialProcedure
from .deadlines import due_dates
from .models import Attachment, Case, CaseEvent
from .transitions import IllegalTransition

log = structlog.get_logger("tongban.cases")

# Two rounds over every state: one case of each online, one at a zone counter.
STATES = [
    S.DRAFT,
    S.SUBMITTED,
    S.SUPPLEMENT_REQUESTED,
    S.ACCEPTED,
    S.IN_REVIEW,
    S.SPECIAL_PROCEDURE,
    S.APPROVED,
    S.DENIED,
    S.REFUSED,
    S.DELIVERED,
    S.CLOSED,
    S.WITHDRAWN,
]
OVERDUE_STATES = (S.ACCEPTED, S.IN_REVIEW)
DETAILS = [
    "申请用于在澳门办理银行按揭，需要近两年记录。",
    "Needed for a visa application; please include the English name.",
    "物业位于江门市蓬江区，产权人为本人。",
    "Para apresentar à entidade patronal em Macau.",
]


def demo_pdf(title: str) -> bytes:
    from reportlab.lib.pagesizes import A6
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A6)
    canvas.drawString(20, 300, "Tongban demo material")
    canvas.drawString(20, 280, title[:40])
    canvas.save()
    return out.getvalue()


def demo_png(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), (240, 244, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 310, 190), outline=(29, 95, 166), width=4)
    draw.text((24, 90), f"Tongban demo scan #{seed}", fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class DemoWorld:
    """The demo people as users, and the items each reviewer's department offers."""

    def __init__(self, people: dict):
        users = get_user_model().objects
        self.residents = [users.get(email=email) for email in people["residents"]]
        staff = list(users.filter(email__in=people["staff"]))
        self.clerks: dict[int, object] = {}
        self.reviewers: dict[int, object] = {}
        for user in staff:
            for assignment in accounts.staff_assignments(user):
                if assignment.role == Role.ZONE_CLERK and assignment.zone_id:
                    self.clerks.setdefault(assignment.zone_id, user)
                if assignment.role == Role.DEPARTMENT_REVIEWER and assignment.department_id:
                    self.reviewers.setdefault(assignment.department_id, user)
        self.zones = [zone for zone in catalog.list_zones() if zone.pk in self.clerks]
        self.items = []
        for item in catalog.active_items().filter(department_id__in=list(self.reviewers)):
            channels = set(item.channels)
            if {CatalogChannel.ONLINE, CatalogChannel.COUNTER} <= channels and item.for_persons:
                self.items.append(item)
        self.items.sort(key=lambda item: item.implementation_code)
        self.uploads = 0

    def upload(self, actor, case: Case, material) -> None:
        self.uploads += 1
        if self.uploads % 2:
            name, content = f"scan-{self.uploads}.png", demo_png(self.uploads)
        else:
            name, content = f"material-{self.uploads}.pdf", demo_pdf(material.name_zh_hans)
        from . import services

        services.add_attachment(
            actor, case.number, SimpleUploadedFile(name, content), requirement_id=material.pk
        )


def _consent(user) -> None:
    person = accounts.person_for(user)
    if not accounts.has_consent(person, ConsentPurpose.CASE_PROCESSING):
        accounts.give_consent(
            user,
            person,
            ConsentPurpose.CASE_PROCESSING,
            language=person.preferred_language,
        )


def _start(world: DemoWorld, index: int, item, resident, zone) -> tuple[Case, object]:
    from . import services

    person = accounts.person_for(resident)
    detail = {"details": DETAILS[index % len(DETAILS)], "contact_preference": "email"}
    if zone is None:
        return services.start_draft(resident, item.implementation_code, form_data=detail), resident
    clerk = world.clerks[zone.pk]
    document = person.documents.order_by("pk").first()
    check = services.IdentityCheck(document.kind, document.number)
    case = services.start_draft(
        clerk,
        item.implementation_code,
        applicant=person,
        zone=zone,
        identity_check=check,
        form_data=detail,
    )
    return case, clerk


def _drive(world: DemoWorld, case: Case, target: str, submitter, *, supplement_round: bool):
    """Takes a fresh draft to ``target`` through the services, as people would."""
    from . import services

    reviewer = world.reviewers[case.department_id]
    materials = list(case.item.materials.order_by("position"))
    required = [m for m in materials if m.necessity == Necessity.REQUIRED]
    later = [m for m in materials if m.necessity != Necessity.REQUIRED]
    for material in required:
        world.upload(submitter, case, material)
    if target == S.DRAFT:
        return
    number = case.number
    services.submit(submitter, number)
    if target == S.SUBMITTED:
        return
    if target == S.WITHDRAWN:
        services.withdraw(submitter, number, note="已在澳门办妥，不再需要。")
        return
    if target == S.REFUSED:
        services.refuse(
            reviewer, number, reasons="该事项不属于本机关职权范围，请向户籍所在地机关申请。"
        )
        return
    if target == S.SUPPLEMENT_REQUESTED or supplement_round:
        services.request_supplement(
            reviewer,
            number,
            missing_requirements=[m.pk for m in later[:2]],
            missing_other=["身份证明文件的清晰彩色扫描件"],
            note="请一次性补交上述材料。",
        )
        if target == S.SUPPLEMENT_REQUESTED:
            return
        for material in later[:2]:
            world.upload(submitter, case, material)
        services.resubmit(submitter, number)
    services.accept(reviewer, number)
    if target == S.ACCEPTED:
        return
    services.start_review(reviewer, number)
    if target == S.IN_REVIEW:
        return
    if target == S.SPECIAL_PROCEDURE:
        services.begin_special_procedure(
            reviewer, number, procedure=SpecialProcedure.EXPERT_REVIEW, note="需专家评审。"
        )
        return
    if target == S.DENIED:
        services.deny(reviewer, number, reasons="申请人提交的材料不能证明符合法定条件。")
        return
    services.approve(reviewer, number)
    if target == S.APPROVED:
        return
    zone = case.received_at_zone
    if zone is not None:
        services.deliver(reviewer, number, method=DeliveryMethod.COUNTER, zone=zone)
    else:
        services.deliver(reviewer, number, method=DeliveryMethod.DOWNLOAD)
    if target == S.CLOSED:
        services.close(reviewer, number)


def _make_overdue(case: Case, working_days_late: int) -> None:
    """Moves an accepted case back in time so that it is past due today (demo only).

    Everything the case carries moves by the same amount — its timeline, its submission and
    acceptance — so that no page shows a case submitted today and due weeks ago.
    """
    today = timezone.localdate()
    due = workdays.add_working_days(today, -working_days_late, "CN")
    accepted_on = due - dt.timedelta(days=40)
    dues = due_dates(case.item, accepted_on)
    case.refresh_from_db()
    shift = case.accepted_at - timezone.make_aware(dt.datetime.combine(accepted_on, dt.time(10)))
    for event in CaseEvent.objects.filter(case=case):
        CaseEvent.objects.filter(pk=event.pk).update(at=event.at - shift)
    for attachment in Attachment.objects.filter(case=case):
        Attachment.objects.filter(pk=attachment.pk).update(
            uploaded_at=attachment.uploaded_at - shift
        )
    case.created_at -= shift
    case.submitted_at -= shift
    case.materials_complete_at = case.materials_complete_at and case.materials_complete_at - shift
    case.accepted_at -= shift
    case.statutory_due, case.promised_due = dues.statutory, dues.promised
    case.save()


def _rate(cases: list[Case], world: DemoWorld) -> int:
    """Ratings after a decision; the first is bad, and its follow-up is called back and
    answered, so the supervisors' list shows a whole follow-up."""
    from . import services

    decided = [c for c in cases if c.status in (S.DELIVERED, S.CLOSED, S.DENIED)]
    rated = 0
    for index, case in enumerate(decided):
        applicant = case.applicant_person.user
        level = 1 if index == 0 else 5 - index % 2
        comment = "等了很久，也没有人告诉我进度。" if level <= 2 else "办理很快，谢谢。"
        try:
            rating = services.submit_rating(
                applicant,
                case_number=case.number,
                level=level,
                scores={"speed": level, "attitude": min(5, level + 1)},
                comment=comment,
            )
        except (ValidationError, PermissionDenied, IllegalTransition) as error:
            log.warning("demo_rating_skipped", case=case.number, error=str(error))
            continue
        rated += 1
        follow_up = getattr(rating, "follow_up", None)
        if follow_up is not None:
            reviewer = world.reviewers[case.department_id]
            services.record_call_back(
                reviewer,
                follow_up.pk,
                reached=True,
                note="已致电申请人，说明了审核进度的通知方式。",
            )
            services.record_outcome(
                reviewer,
                follow_up.pk,
                outcome="fixed",
                note="已开通办件进度短信提醒，并向申请人致歉。",
            )
    return rated


def _record_visits(cases: list[Case], world: DemoWorld) -> int:
    """One counter visit per zone, left for the residents to rate from "my cases" (一次一评)."""
    from . import services

    seen = set()
    for case in cases:
        zone_id = case.received_at_zone_id
        if zone_id is None or zone_id in seen or zone_id not in world.clerks:
            continue
        services.record_counter_visit(
            world.clerks[zone_id],
            case.applicant_person,
            zone=zone_id,
            case_number=case.number,
            note="递交申请材料",
        )
        seen.add(zone_id)
    return len(seen)


def create_demo_cases(people: dict) -> list[str]:
    world = DemoWorld(people)
    if not world.items or not world.residents:
        return [_("Cases: none (no demo reviewers or online services in the catalog).")]
    for resident in world.residents:
        _consent(resident)
    counter_zones = world.zones or [None]
    cases: list[Case] = []
    overdue = 0
    for index, target in enumerate(STATES * 2):
        online = index < len(STATES)
        item = world.items[index % len(world.items)]
        resident = world.residents[index % len(world.residents)]
        zone = None if online else counter_zones[index % len(counter_zones)]
        case, submitter = _start(world, index, item, resident, zone)
        _drive(world, case, target, submitter, supplement_round=target == S.APPROVED)
        if target in OVERDUE_STATES:
            _make_overdue(case, working_days_late=2 + index % 5)
            overdue += 1
        cases.append(Case.objects.get(pk=case.pk))
    from . import services

    services.sweep_now()
    rated = _rate(cases, world)
    visits = _record_visits(cases, world)
    by_state = Counter(
        Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("status", flat=True)
    )
    lines = [
        _(
            "Cases: %(count)d in %(states)d states (%(online)d online, %(counter)d at zone counters), %(overdue)d overdue."
        )
        % {
            "count": len(cases),
            "states": len(by_state),
            "online": len(STATES),
            "counter": len(cases) - len(STATES),
            "overdue": overdue,
        }
    ]
    if visits:
        lines.append(_("Counter visits waiting for a rating: %(count)d.") % {"count": visits})
    if rated:
        lines.append(_("Ratings: %(count)d, one of them bad with a follow-up.") % {"count": rated})
    return lines
