"""The applicant's face: apply from an item page, the draft's four steps, "my cases", a case.

Steps of a draft: details → materials (one upload per requirement, re-upload allowed) →
cross-border consent → review and submit. Each saves on the server, so a draft resumes from
"my cases" on any device. The submit form carries an idempotency key: a double click or a
resent form submits once.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from tongban.accounts import services as accounts
from tongban.accounts.constants import ConsentPurpose
from tongban.catalog import services as catalog

from .. import services
from ..attachments import limit_upload_size, too_large_message
from ..constants import CaseAction, CaseStatus
from ..forms import (
    ConsentForm,
    DraftForm,
    NoteForm,
    StartForm,
    SubmitForm,
    UploadForm,
    apply_service_errors,
    draft_initial,
    new_idempotency_key,
)
from . import after_decision
from .common import (
    attachment_response,
    deadline_context,
    detail_or_404,
    letter_response,
    open_supplement,
    refuse_oversized_upload,
    timeline,
)

CONSENT_LANGUAGES = ("zh-hans", "zh-hant", "en", "pt")


def _language() -> str:
    language = (get_language() or "").lower()
    return language if language in CONSENT_LANGUAGES else "zh-hant"


def _own_detail(request, number: str) -> services.CaseDetail:
    """The case if the signed-in user follows it as its applicant: their own, or a company's
    they are authorised for (clerks use the counter screen)."""
    detail = detail_or_404(request.user, number)
    if not services.applicant_may(request.user, detail.case):
        raise Http404(_("There is no such case."))
    return detail


def refused(request, number: str, reason: str):
    """The case page again, answering 403 with the policy's reason; nothing was changed."""
    return case_page(
        request, number, status=403, error=reason or _("You are not allowed to do this.")
    )


def _editable_detail(request, number: str):
    """(detail, None) if the user may work on the application, else (detail, a 403 page)."""
    detail = _own_detail(request, number)
    reason = services.applicant_refusal(request.user, detail.case, accounts.Action.CASE_SUBMIT)
    return detail, (refused(request, number, reason) if reason else None)


def _draft_or_redirect(request, number: str):
    detail, refusal = _editable_detail(request, number)
    if refusal is not None:
        return detail, refusal
    if detail.case.status != CaseStatus.DRAFT:
        return detail, redirect("cases:case", number=number)
    return detail, None


def _steps(case, current: str) -> list[dict]:
    names = [
        ("edit", _("Details")),
        ("materials", _("Materials")),
        ("consent", _("Consent")),
        ("review", _("Review and submit")),
    ]
    return [
        {"url": f"cases:{name}", "label": label, "current": name == current}
        for name, label in names
    ]


# --- Starting ----------------------------------------------------------------------------------


@login_required
def start(request, code: str):
    try:
        item = catalog.get_item(code)
    except catalog.ItemNotFound as error:
        raise Http404(_("There is no such service.")) from error
    person = accounts.person_for(request.user)
    if person is None:
        messages.info(request, _("First tell us who you are; then you can apply."))
        return redirect("accounts:profile")
    companies = (
        [company for company, _auths in accounts.companies_of(person)] if item.for_companies else []
    )
    form = StartForm(
        request.POST or None,
        initial={"idempotency_key": new_idempotency_key()},
        companies=companies,
        for_persons=item.for_persons,
    )
    if request.method == "POST" and form.is_valid():
        company = next(
            (c for c in companies if c.pk == form.cleaned_data.get("company")),
            None,
        )
        try:
            case = services.start_draft(
                request.user,
                code,
                company=company,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("cases:edit", number=case.number)
    status = 400 if form.errors else 200
    context = {
        "item": item,
        "form": form,
        "materials": item.materials.order_by("position"),
        "has_companies": bool(companies),
    }
    return render(request, "cases/apply_start.html", context, status=status)


# --- The draft's steps ---------------------------------------------------------------------------


@login_required
def edit(request, number: str):
    detail, elsewhere = _draft_or_redirect(request, number)
    if elsewhere:
        return elsewhere
    case = detail.case
    form = DraftForm(request.POST or None, initial=draft_initial(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft(request.user, number, form_data=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if request.POST.get("then") == "stay":
                messages.success(request, _("Your draft is saved."))
                return redirect("cases:edit", number=number)
            return redirect("cases:materials", number=number)
    context = {"case": case, "form": form, "steps": _steps(case, "edit")}
    return render(request, "cases/apply_details.html", context, status=400 if form.errors else 200)


def _materials_context(detail: services.CaseDetail) -> list[dict]:
    """Each material of the item with the files uploaded against it (the newest counts)."""
    files_by_requirement: dict[int | None, list] = {}
    for attachment in detail.attachments:
        files_by_requirement.setdefault(attachment.requirement_id, []).append(attachment)
    return [
        {"material": material, "files": files_by_requirement.get(material.pk, [])}
        for material in detail.case.item.materials.order_by("position")
    ]


@login_required
@csrf_exempt  # checked by csrf_protect below, once the size limit is in place (Django's way)
@refuse_oversized_upload
@limit_upload_size
@csrf_protect
def materials(request, number: str):
    detail, refusal = _editable_detail(request, number)
    if refusal is not None:
        return refusal
    case = detail.case
    if case.status not in (CaseStatus.DRAFT, CaseStatus.SUPPLEMENT_REQUESTED):
        return redirect("cases:case", number=number)
    form = UploadForm(
        request.POST or None, request.FILES or None, materials=case.item.materials.all()
    )
    if request.method == "POST":
        if getattr(request, "upload_refused", None) == "too_large":
            form.is_valid()
            form.errors.clear()
            form.add_error("file", too_large_message())
        elif form.is_valid():
            try:
                attachment = services.add_attachment(
                    request.user,
                    number,
                    form.cleaned_data["file"],
                    requirement_id=form.cleaned_data["requirement"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except services.IllegalTransition as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("“%(name)s” is uploaded.") % {"name": attachment.original_name}
                )
                return redirect("cases:materials", number=number)
        detail = _own_detail(request, number)
    context = {
        "case": case,
        "form": form,
        "failed_requirement": form.data.get("requirement") if form.errors else None,
        "rows": _materials_context(detail),
        "supplement": open_supplement(detail),
        "steps": _steps(case, "materials") if case.status == CaseStatus.DRAFT else None,
    }
    return render(
        request, "cases/apply_materials.html", context, status=400 if form.errors else 200
    )


@login_required
def consent(request, number: str):
    detail, elsewhere = _draft_or_redirect(request, number)
    if elsewhere:
        return elsewhere
    case = detail.case
    person = case.applicant_person
    language = _language()
    text, recipient, version = accounts.consent_text(ConsentPurpose.CASE_PROCESSING, language)
    form = ConsentForm(request.POST or None, initial={"text_version": version})
    if request.method == "POST" and form.is_valid():
        try:
            accounts.give_consent(
                request.user,
                person,
                ConsentPurpose.CASE_PROCESSING,
                language=language,
                text_version=form.cleaned_data["text_version"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:  # consent is the applicant person's own to give
            return refused(request, number, str(error))
        else:
            messages.success(request, _("Your consent is recorded."))
            return redirect("cases:review", number=number)
    context = {
        "case": case,
        "form": form,
        "text": text,
        "given": accounts.current_consent(person, ConsentPurpose.CASE_PROCESSING),
        "steps": _steps(case, "consent"),
    }
    return render(request, "cases/apply_consent.html", context, status=400 if form.errors else 200)


@login_required
def review(request, number: str):
    detail, refusal = _editable_detail(request, number)
    if refusal is not None:
        return refusal
    case = detail.case
    if case.status != CaseStatus.DRAFT and request.method != "POST":
        return redirect("cases:case", number=number)
    key = case.idempotency_key or new_idempotency_key()
    form = SubmitForm(request.POST or None, initial={"idempotency_key": key})
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(
                request.user, number, idempotency_key=form.cleaned_data["idempotency_key"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except services.IllegalTransition as error:
            messages.error(request, error.message)
            return redirect("cases:case", number=number)
        else:
            messages.success(request, _("Your application is submitted."))
            return redirect("cases:case", number=number)
    required, may_follow = services.missing_materials(case)
    context = {
        "case": case,
        "form": form,
        "rows": _materials_context(detail),
        "missing": required,
        "may_follow": may_follow,
        "consent_given": accounts.has_consent(case.applicant_person),
        "steps": _steps(case, "review"),
    }
    return render(request, "cases/apply_review.html", context, status=400 if form.errors else 200)


# --- My cases ----------------------------------------------------------------------------------


@login_required
def my_cases(request, *, visits=None, status: int = 200):
    after = request.GET.get("after") or None
    try:
        after_id = int(after) if after else None
    except ValueError:
        after_id = None
    cases, next_after = services.my_cases(request.user, after=after_id)
    context = {
        "cases": cases,
        "next_after": next_after,
        "paged": after_id is not None,
        "visits": visits if visits is not None else after_decision.visit_forms(request.user),
    }
    return render(request, "cases/my_cases.html", context, status=status)


@login_required
def case_page(request, number: str, *, status: int = 200, error: str = "", bound=None):
    detail = _own_detail(request, number)
    case = detail.case
    context = {
        "case": case,
        "detail": detail,
        "timeline": timeline(detail, request.user, staff=False),
        "letters": services.case_letters(request.user, number),
        "supplement": open_supplement(detail),
        "can_withdraw": CaseAction.WITHDRAW in detail.actions,
        "can_resubmit": CaseAction.RESUBMIT in detail.actions,
        "can_edit": services.applicant_may(request.user, case, accounts.Action.CASE_SUBMIT),
        "withdraw_form": NoteForm(auto_id="withdraw_%s"),
        "error": error,
        **deadline_context(case),
    }
    context.update(after_decision.context(request, case, bound=bound))
    return render(request, "cases/case.html", context, status=status)


def _transition(request, number: str, call, done: str):
    _own_detail(request, number)
    try:
        call()
    except ValidationError as error:
        return case_page(request, number, status=400, error=" ".join(error.messages))
    except services.IllegalTransition as error:
        return case_page(request, number, status=409, error=error.message)
    except PermissionDenied as error:
        return refused(request, number, str(error))
    messages.success(request, done)
    return redirect("cases:case", number=number)


@login_required
@require_POST
def withdraw(request, number: str):
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _transition(
        request,
        number,
        lambda: services.withdraw(request.user, number, note=note),
        _("Your application is withdrawn."),
    )


@login_required
@require_POST
def resubmit(request, number: str):
    return _transition(
        request,
        number,
        lambda: services.resubmit(request.user, number),
        _("Your supplements are handed in."),
    )


@login_required
def attachment(request, number: str, attachment_id: int):
    _own_detail(request, number)
    return attachment_response(request.user, number, attachment_id)


@login_required
def letter(request, number: str, letter_number: str):
    _own_detail(request, number)
    return letter_response(request.user, number, letter_number)
