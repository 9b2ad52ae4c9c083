"""What every face shares: finding the case or answering 404, downloads, the timeline's words.

Views turn forms into ``cases.services`` calls and service errors into form errors or
translated messages; nothing else. A case another user may not see is a 404, never a 403, so
guessed numbers tell nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tongban.accounts import services as accounts

from .. import services
from ..attachments import announced_too_large, max_file_bytes, too_large_message
from ..constants import CaseAction
from ..running_clock import left_text


def detail_or_404(user, number: str) -> services.CaseDetail:
    try:
        return services.case_detail(user, number)
    except services.CaseNotFound as error:
        raise Http404(_("There is no such case.")) from error


def require_staff(user) -> None:
    """Staff pages are invisible to applicants (404, as for a case they may not see)."""
    if not accounts.is_staff_member(user):
        raise Http404(_("There is no such page."))


def refuse_oversized_upload(view):
    """Answers an upload announced bigger than the limit with a 413 page, before anything reads
    its body. Goes outside ``csrf_protect``: the CSRF token is inside the body that is never
    read, so without this the person saw "CSRF verification failed" instead of the reason.
    Nothing is read or stored, so answering without the token changes nothing."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and announced_too_large(request):
            drain_moderately_oversized_body(request)
            context = {"message": too_large_message(), "back": request.path}
            return render(request, "cases/upload_too_large.html", context, status=413)
        return view(request, *args, **kwargs)

    return wrapped


# A browser still sending its body when the server answers and closes may show "connection
# reset" instead of the answer. Up to this many times the file limit the body is read and thrown
# away (cheap, and the common "a bit too big" case); beyond it, it is not read at all.
DRAIN_UP_TO_TIMES_THE_LIMIT = 3
DRAIN_CHUNK = 256 * 1024


def drain_moderately_oversized_body(request) -> None:
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > DRAIN_UP_TO_TIMES_THE_LIMIT * max_file_bytes():
        return
    while request.read(DRAIN_CHUNK):
        pass


def attachment_response(user, number: str, attachment_id: int) -> FileResponse:
    try:
        attachment, stored = services.open_attachment(user, number, attachment_id)
    except services.CaseNotFound as error:
        raise Http404(_("There is no such file.")) from error
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def letter_response(user, number: str, letter_number: str) -> HttpResponse:
    try:
        document, body = services.open_case_letter(user, number, letter_number)
    except services.CaseNotFound as error:
        raise Http404(_("There is no such letter.")) from error
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@dataclass(frozen=True)
class TimelineLine:
    at: object
    label: str
    by: str
    status: str
    note: str
    reasons: str


def timeline(detail: services.CaseDetail, viewer, *, staff: bool) -> list[TimelineLine]:
    """The events as the viewer may read them: staff names only for staff."""
    lines = []
    labels: dict[int, str] = {}
    for event in detail.events:
        if event.action in (CaseAction.SAVE_DRAFT,):
            continue
        if event.actor_id is None:
            by = _("The system")
        elif event.actor_id == viewer.pk:
            by = _("You")
        elif event.actor_id == detail.case.applicant_person.user_id:
            by = _("The applicant")
        elif staff:
            if event.actor_id not in labels:
                labels[event.actor_id] = accounts.staff_label(event.actor)
            by = labels[event.actor_id]
        elif event.actor_id == detail.case.submitted_by_id:
            by = _("Submitted for you")
        else:
            by = _("Staff")
        lines.append(
            TimelineLine(
                at=event.at,
                label=event.get_action_display(),
                by=by,
                status=event.get_to_status_display() if event.to_status else "",
                note=event.note,
                reasons=event.reasons,
            )
        )
    return lines


def deadline_context(case) -> dict:
    promised_left = services.working_days_left(case.promised_due)
    statutory_left = services.working_days_left(case.statutory_due)
    return {
        "promised_left_text": left_text(promised_left),
        "statutory_left_text": left_text(statutory_left),
        # The badge goes beside the date that was missed, not beside another one.
        "promised_late": promised_left is not None and promised_left < 0,
        "statutory_late": statutory_left is not None and statutory_left < 0,
    }


def open_supplement(detail: services.CaseDetail):
    """The unanswered supplement request with the names of what is missing, or None."""
    for request in reversed(detail.supplement_requests):
        if request.answered_at is None:
            materials = detail.case.item.materials.filter(
                pk__in=request.missing_requirements
            ).order_by("position")
            return {"request": request, "materials": list(materials)}
    return None
