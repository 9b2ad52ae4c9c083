"""The applicant's pages under /me/ and the clerk's lookup under /staff/.

Views turn forms into service calls and service errors into form errors; nothing else.
Document numbers travel only in POST bodies, never in URLs, so they stay out of access logs.
"""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from tongban.accounts import services
from tongban.accounts.constants import ConsentPurpose
from tongban.accounts.forms import (
    AuthoriseForm,
    CompanyForm,
    ConsentForm,
    CounterRegistrationForm,
    DeletionForm,
    DocumentForm,
    LookupForm,
    ProfileForm,
    SignUpProfileForm,
    WithdrawForm,
    apply_service_errors,
)
from tongban.accounts.models import Authorisation, Company, IdentityDocument, Person
from tongban.accounts.permissions import Action
from tongban.accounts.user import Language

# Error reports (500 e-mails, debug pages) must not carry identity numbers.
hide_numbers = sensitive_post_parameters(
    "number", "document_number", "second_document_number", "identifier"
)

PROFILE_FIELDS = ("name_zh", "name_en", "preferred_language", "address_region", "address_lines")


def _person_or_redirect(request):
    person = services.person_for(request.user)
    if person is None:
        messages.info(request, _("First tell us who you are."))
    return person


def _language() -> str:
    language = (get_language() or "").lower()
    return language if language in Language.values else Language.ZH_HANT


@hide_numbers
@login_required
def profile(request):
    person = services.person_for(request.user)
    if person is None:
        return _create_profile(request)
    context = {
        "person": person,
        "documents": services.documents_for(request.user, person),
        "document_form": DocumentForm(),
        "companies": services.companies_of(person),
        "consent": services.has_consent(person, ConsentPurpose.CASE_PROCESSING),
        "deletion_request": services.open_deletion_request(person),
    }
    return render(request, "accounts/profile.html", context)


def _create_profile(request):
    form = SignUpProfileForm(request.POST or None, initial={"preferred_language": _language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register_person(
                user=request.user,
                phone=data["phone"],
                phone_region=data["phone_region"],
                documents=form.documents(),
                **{key: data[key] for key in PROFILE_FIELDS},
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/profile_create.html", {"form": form}, status=status)


@login_required
def edit_profile(request):
    person = _person_or_redirect(request)
    if person is None:
        return redirect("accounts:profile")
    initial = {key: getattr(person, key) for key in PROFILE_FIELDS}
    initial["phone"] = person.phone
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_person(
                request.user,
                person,
                phone=data["phone"],
                phone_region=data["phone_region"],
                **{key: data[key] for key in PROFILE_FIELDS},
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/profile_edit.html", {"form": form}, status=status)


@hide_numbers
@login_required
@require_POST
def add_document(request):
    person = _person_or_redirect(request)
    if person is None:
        return redirect("accounts:profile")
    form = DocumentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_document(
                request.user, person, data["kind"], data["number"], data["expires_on"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The document is added."))
            return redirect("accounts:profile")
    context = {"form": form, "person": person}
    return render(request, "accounts/document_add.html", context, status=400)


@login_required
@require_POST
def remove_document(request, pk: int):
    try:
        document = services.get_document(request.user, pk)
    except IdentityDocument.DoesNotExist as error:
        raise Http404 from error
    services.remove_document(request.user, document)
    messages.success(request, _("The document is removed."))
    return redirect("accounts:profile")


# --- Companies ------------------------------------------------------------------------------


@hide_numbers
@login_required
def companies(request):
    person = _person_or_redirect(request)
    if person is None:
        return redirect("accounts:profile")
    form = CompanyForm(request.POST or None)
    # Coming from an application for a company item: go back to it once the company is there.
    back_to = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back_to, allowed_hosts={request.get_host()}):
        back_to = ""
    if request.method == "POST" and form.is_valid():
        try:
            company = services.create_company(
                request.user, authorise_person=person, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The company is registered and you may act for it."))
            return redirect(back_to or reverse("accounts:company", args=[company.pk]))
    context = {"form": form, "companies": services.companies_of(person), "next": back_to}
    return render(request, "accounts/companies.html", context, status=400 if form.errors else 200)


def _company_or_404(request, pk: int) -> Company:
    try:
        return services.company_for(request.user, pk)
    except Company.DoesNotExist as error:
        raise Http404 from error


@hide_numbers
@login_required
def company(request, pk: int):
    company = _company_or_404(request, pk)
    manages = services.can(request.user, Action.COMPANY_AUTHORISE, company)
    form = AuthoriseForm(request.POST or None) if manages else None
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.authorise_by_document(
                    request.user,
                    company,
                    data["kind"],
                    data["number"],
                    data["scopes"],
                    valid_until=data["valid_until"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The authorisation is recorded."))
                return redirect("accounts:company", pk=company.pk)
    context = {
        "company": company,
        "manages": manages,
        "form": form,
        "authorisations": services.authorisations_of(request.user, company) if manages else [],
        "now": timezone.now(),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "accounts/company.html", context, status=status)


@login_required
@require_POST
def revoke(request, pk: int, authorisation_pk: int):
    company = _company_or_404(request, pk)
    authorisation = Authorisation.objects.filter(pk=authorisation_pk, company=company).first()
    if authorisation is None:
        raise Http404
    try:
        services.revoke_authorisation(request.user, authorisation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The authorisation is revoked."))
    return redirect("accounts:company", pk=company.pk)


# --- Consent and my data --------------------------------------------------------------------


@login_required
def consent(request):
    person = _person_or_redirect(request)
    if person is None:
        return redirect("accounts:profile")
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please read the text and agree again."))
            return redirect("accounts:consent")
        try:
            services.give_consent(request.user, person, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your consent is recorded."))
        return redirect("accounts:consent")
    language = _language()
    purposes = []
    for purpose in ConsentPurpose:
        text, recipient, version = services.consent_text(purpose, language)
        purposes.append(
            {
                "purpose": purpose,
                "text": text,
                "recipient": recipient,
                "current": services.current_consent(person, purpose),
                "form": ConsentForm(
                    initial={"purpose": purpose, "text_version": version, "language": language}
                ),
                "withdraw_form": WithdrawForm(initial={"purpose": purpose}),
            }
        )
    history = services.consent_history(request.user, person)
    return render(request, "accounts/consent.html", {"purposes": purposes, "history": history})


@login_required
@require_POST
def withdraw_consent(request):
    person = _person_or_redirect(request)
    form = WithdrawForm(request.POST)
    if person is None or not form.is_valid():
        return redirect("accounts:consent")
    if services.withdraw_consent(request.user, person, form.cleaned_data["purpose"]):
        messages.success(request, _("Your consent is withdrawn."))
    return redirect("accounts:consent")


@login_required
def my_data(request):
    person = _person_or_redirect(request)
    if person is None:
        return redirect("accounts:profile")
    context = {
        "deletion_form": DeletionForm(),
        "deletion_request": services.open_deletion_request(person),
    }
    return render(request, "accounts/my_data.html", context)


@login_required
@require_POST
@reauthentication_required  # a fresh password or second factor: the archive holds full numbers
def download_my_data(request):
    person = _person_or_redirect(request)
    if person is None:
        return redirect("accounts:profile")
    archive = services.export_personal_data(request.user, person)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = FileResponse(
        archive,
        as_attachment=True,
        filename=f"tongban-my-data-{stamp}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def request_deletion(request):
    person = _person_or_redirect(request)
    if person is None:
        return redirect("accounts:profile")
    form = DeletionForm(request.POST)
    if form.is_valid():
        try:
            services.request_deletion(request.user, person, form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request is recorded. We will write to you when your account is closed."),
            )
            return redirect("accounts:my_data")
    context = {"deletion_form": form, "deletion_request": None}
    return render(request, "accounts/my_data.html", context, status=400)


# --- Staff ----------------------------------------------------------------------------------


@hide_numbers
@login_required
def find_person(request):
    services.require(request.user, Action.PERSON_LOOKUP)
    form = LookupForm(request.POST or None)
    context = {
        "form": form,
        "searched": False,
        "perms_register": services.can(request.user, Action.PERSON_CREATE),
    }
    if request.method == "POST" and form.is_valid():
        try:
            match = services.counter_lookup(
                request.user, form.cleaned_data["kind"], form.cleaned_data["number"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            context.update(searched=True, found=match.person if match else None)
            if match:
                context.update(
                    documents=match.documents,
                    consent=match.has_consent,
                    **_consent_recording(request.user, match.person, match.has_consent),
                )
            # The number typed is not echoed back into the page.
            context["form"] = LookupForm(initial={"kind": form.cleaned_data["kind"]})
    status = 400 if form.errors else 200
    return render(request, "accounts/staff_find.html", context, status=status)


def _staff_view(user, person: Person) -> dict:
    consent = services.has_consent(person, ConsentPurpose.CASE_PROCESSING)
    return {
        "documents": services.documents_for(user, person),
        "consent": consent,
        **_consent_recording(user, person, consent),
    }


def _consent_recording(user, person: Person, consent: bool) -> dict:
    """The text and form a clerk uses to record consent signed at the counter, if they may."""
    context = {}
    if not consent and services.can(user, Action.CONSENT_GIVE, person):
        language = person.preferred_language
        text, _recipient, version = services.consent_text(ConsentPurpose.CASE_PROCESSING, language)
        context["consent_text"] = text
        context["consent_form"] = ConsentForm(
            initial={
                "purpose": ConsentPurpose.CASE_PROCESSING,
                "text_version": version,
                "language": language,
            }
        )
    return context


def _staff_person_or_404(request, pk: int) -> Person:
    if not services.is_staff_member(request.user):
        raise Http404
    try:
        return services.get_person(request.user, pk)
    except Person.DoesNotExist as error:
        raise Http404 from error


@login_required
def staff_person(request, pk: int):
    person = _staff_person_or_404(request, pk)
    context = {"found": person, **_staff_view(request.user, person)}
    return render(request, "accounts/staff_person.html", context)


@login_required
@require_POST
def record_consent(request, pk: int):
    person = _staff_person_or_404(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.give_consent(request.user, person, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The applicant's consent is recorded."))
    return redirect("accounts:staff_person", pk=person.pk)


@hide_numbers
@login_required
def register_at_counter(request):
    services.require(request.user, Action.PERSON_CREATE)
    zones = services.counter_zones(request.user)
    form = CounterRegistrationForm(
        request.POST or None, zones=zones, initial={"zone": zones.first()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.register_person(
                actor=request.user,
                registered_at_zone=data["zone"],
                phone=data["phone"],
                phone_region=data["phone_region"],
                documents=form.documents(),
                **{key: data[key] for key in PROFILE_FIELDS},
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The applicant is registered."))
            return redirect("accounts:staff_person", pk=person.pk)
    status = 400 if form.errors else 200
    return render(request, "accounts/staff_register.html", {"form": form}, status=status)
