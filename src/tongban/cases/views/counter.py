"""The clerk's counter screen (/staff/counter/): find the applicant by the document they show,
record the identity check, start a case for them at the clerk's zone, upload the scanned
papers, submit, and print the voucher once the department has decided on acceptance.

The number typed from the document is never echoed into a page or a URL: between "find" and
"start" it waits in the session, encrypted (``core.crypto``), and is dropped once used.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from tongban.accounts import services as accounts
from tongban.accounts.constants import ConsentPurpose
from tongban.catalog import services as catalog
from tongban.core import crypto

from .. import services
from ..attachments import limit_upload_size, too_large_message
from ..constants import CaseStatus, LetterKind
from ..forms import (
    CounterFindForm,
    CounterStartForm,
    DraftForm,
    ServiceFilterForm,
    SubmitForm,
    UploadForm,
    apply_service_errors,
    draft_initial,
    new_idempotency_key,
)
from .applicant import _materials_context
from .common import detail_or_404, refuse_oversized_upload, require_staff

SESSION_KEY = "tongban_counter_identity"


def _require_clerk(user) -> list:
    """The clerk's zones; anyone who works at no zone counter gets a 404."""
    require_staff(user)
    zones = services.counter_zones(user)
    if not zones:
        raise Http404(_("There is no such page."))
    return zones


def _checked_person(request):
    """(the match found at this counter, the identity check to record), or (None, None).

    The lookup is repeated with the number kept from "find": holding the document is what lets
    a clerk see a person registered at another zone (``accounts.counter_lookup``)."""
    kept = request.session.get(SESSION_KEY)
    if not kept:
        return None, None
    try:
        check = services.IdentityCheck(kept["kind"], crypto.decrypt(kept["number"]))
        # The number kept from "find", already counted against the clerk's look-up budget.
        match = accounts.counter_lookup(
            request.user, check.document_kind, check.number, counted=False
        )
    except (crypto.DecryptionError, KeyError, ValidationError):
        match = None
    if match is None:
        request.session.pop(SESSION_KEY, None)
        return None, None
    return match, check


def _start_form(zones, data=None, *, query: str = ""):
    items = {}
    for zone in zones:
        items.update((item.pk, item) for item in services.counter_items(zone))
    ordered = sorted(items.values(), key=lambda item: item.implementation_code)
    if query:
        # The catalog's own search (both scripts, synonyms), kept to what these zones offer.
        ranked = [item.pk for item in catalog.search_items(query, limit=100)]
        ordered = [items[pk] for pk in ranked if pk in items]
    return CounterStartForm(
        data, items=ordered, zones=zones, initial={"idempotency_key": new_idempotency_key()}
    )


def _person_context(request, match) -> dict:
    if match is None:
        return {}
    return {
        "found": match.person,
        "documents": match.documents,
        "consent": match.has_consent,
        "open_cases": services.open_cases_at_counter(request.user, match.person),
    }


def _same_service_open(request, match, item_code: str) -> list:
    return [
        case
        for case in services.open_cases_at_counter(request.user, match.person)
        if case.item.implementation_code == item_code
    ]


@login_required
def counter(request):
    zones = _require_clerk(request.user)
    form = CounterFindForm(request.POST or None)
    searched = False
    match, _check = _checked_person(request) if request.method == "GET" else (None, None)
    if request.method == "POST" and form.is_valid():
        searched = True
        kind, number = form.cleaned_data["kind"], form.cleaned_data["number"]
        request.session.pop(SESSION_KEY, None)
        try:
            match = accounts.counter_lookup(request.user, kind, number)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if match is not None:
                request.session[SESSION_KEY] = {"kind": kind, "number": crypto.encrypt(number)}
            form = CounterFindForm(initial={"kind": kind})  # the number is not echoed back
    service_filter = ServiceFilterForm(request.GET or None)
    query = service_filter.cleaned_data["service_q"] if service_filter.is_valid() else ""
    context = {
        "form": form,
        "searched": searched,
        "zones": zones,
        "start_form": _start_form(zones, query=query) if match is not None else None,
        "service_filter": service_filter,
        "service_query": query,
        **_person_context(request, match),
    }
    return render(request, "cases/counter.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def counter_start(request):
    zones = _require_clerk(request.user)
    match, check = _checked_person(request)
    if match is None:
        messages.error(request, _("Find the applicant by their identity document first."))
        return redirect("cases:counter")
    form = _start_form(zones, request.POST)
    duplicates = []
    if form.is_valid() and not form.cleaned_data.get("start_again"):
        duplicates = _same_service_open(request, match, form.cleaned_data["item"])
        if duplicates:
            form.add_error(
                "start_again",
                _(
                    "This applicant already has an open case for this service (%(numbers)s). "
                    "Open it below, or tick the box to start another."
                )
                % {"numbers": ", ".join(case.number for case in duplicates)},
            )
    if form.is_valid():
        try:
            case = services.start_draft(
                request.user,
                form.cleaned_data["item"],
                applicant=match.person,
                zone=next(
                    (z for z in zones if z.pk == form.cleaned_data.get("zone")),
                    zones[0] if len(zones) == 1 else None,
                ),
                identity_check=check,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _("You are not allowed to do this."))
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("Case %(number)s is started.") % {"number": case.number})
            return redirect("cases:counter_case", number=case.number)
    context = {
        "form": CounterFindForm(),
        "searched": True,
        "zones": zones,
        "start_form": form,
        "service_filter": ServiceFilterForm(),
        "duplicates": duplicates,
        **_person_context(request, match),
    }
    return render(request, "cases/counter.html", context, status=400)


@login_required
@csrf_exempt  # checked by csrf_protect below, once the size limit is in place (Django's way)
@refuse_oversized_upload
@limit_upload_size
@csrf_protect
def counter_case(request, number: str):
    """A draft taken in at the counter: details, scanned papers, submit."""
    _require_clerk(request.user)
    detail = detail_or_404(request.user, number)
    case = detail.case
    if case.status not in (CaseStatus.DRAFT, CaseStatus.SUPPLEMENT_REQUESTED):
        return redirect("cases:staff_case", number=number)
    details_form = DraftForm(initial=draft_initial(case), prefix="details")
    upload_form = UploadForm(materials=case.item.materials.all())
    submit_form = SubmitForm(
        initial={"idempotency_key": case.idempotency_key or new_idempotency_key()}
    )
    step = request.POST.get("step")
    failed = False
    if request.method == "POST" and step == "details":
        details_form = DraftForm(request.POST, prefix="details")
        if details_form.is_valid():
            try:
                services.save_draft(request.user, number, form_data=details_form.cleaned_data)
            except (ValidationError, services.IllegalTransition) as error:
                details_form.add_error(None, getattr(error, "message", None) or error.messages)
            else:
                messages.success(request, _("The details are saved."))
                return redirect("cases:counter_case", number=number)
        failed = True
    elif request.method == "POST" and step == "upload":
        upload_form = UploadForm(request.POST, request.FILES, materials=case.item.materials.all())
        if getattr(request, "upload_refused", None) == "too_large":
            upload_form.is_valid()
            upload_form.errors.clear()
            upload_form.add_error("file", too_large_message())
        elif upload_form.is_valid():
            try:
                services.add_attachment(
                    request.user,
                    number,
                    upload_form.cleaned_data["file"],
                    requirement_id=upload_form.cleaned_data["requirement"],
                )
            except ValidationError as error:
                apply_service_errors(upload_form, error)
            except services.IllegalTransition as error:
                upload_form.add_error(None, error.message)
            else:
                messages.success(request, _("The scan is uploaded."))
                return redirect("cases:counter_case", number=number)
        failed = True
    elif request.method == "POST" and step == "submit":
        submit_form = SubmitForm(request.POST)
        if submit_form.is_valid():
            try:
                if case.status == CaseStatus.SUPPLEMENT_REQUESTED:
                    services.resubmit(request.user, number)
                else:
                    services.submit(
                        request.user,
                        number,
                        idempotency_key=submit_form.cleaned_data["idempotency_key"],
                    )
            except ValidationError as error:
                apply_service_errors(submit_form, error)
            except services.IllegalTransition as error:
                submit_form.add_error(None, error.message)
            else:
                messages.success(request, _("The application is submitted to the department."))
                return redirect("cases:staff_case", number=number)
        failed = True
    detail = detail_or_404(request.user, number)
    required, _may_follow = services.missing_materials(case)
    context = {
        "case": case,
        "details_form": details_form,
        "upload_form": upload_form,
        "submit_form": submit_form,
        "rows": _materials_context(detail),
        "missing": required,
        "consent": accounts.has_consent(case.applicant_person, ConsentPurpose.CASE_PROCESSING),
    }
    return render(request, "cases/counter_case.html", context, status=400 if failed else 200)


@login_required
@require_POST
def record_visit(request, number: str):
    """一次一评: the visit is recorded so the applicant can rate it from "my cases"."""
    _require_clerk(request.user)
    case = detail_or_404(request.user, number).case
    try:
        services.record_counter_visit(
            request.user,
            case.applicant_person,
            zone=case.received_at_zone if case.received_at_zone_id else None,
            case_number=number,
            note=(request.POST.get("note") or "")[:200],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except (PermissionDenied, services.CaseNotFound) as error:
        raise Http404(_("There is no such case.")) from error
    else:
        messages.success(request, _("The visit is recorded; the applicant can rate it."))
    return redirect("cases:staff_case", number=number)


@login_required
def receipt(request, number: str):
    """收件凭证 for a counter case: issued now if the background task has not yet, then
    opened for printing (issuing is idempotent: the same receipt every time)."""
    require_staff(request.user)
    case = detail_or_404(request.user, number).case
    if case.status == CaseStatus.DRAFT:
        raise Http404(_("There is no receipt before the application is submitted."))
    letter = services.issue_letter_now(case, LetterKind.RECEIPT)
    return redirect("cases:staff_letter", number=number, letter_number=letter.number)
