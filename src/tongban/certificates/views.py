"""/certificates/: a signed-in holder (or a company's authorised agent) previews and issues a
certificate and downloads its PDF; department staff revoke one. Views call services only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tongban.records import services as records

from . import services
from .forms import CertificateForm, RevokeForm
from .kinds import Channel
from .preview import build_preview


def subject_choices(user) -> list[tuple]:
    person = records.person_of_user(user)
    if person is None:
        return []
    choices = [(s, f"{s.kind_label} {s.masked}") for s in records.person_subjects(person)]
    choices += [(s, f"{name} ({s.masked})") for s, name in records.company_subjects(person)]
    return choices


@never_cache
@login_required
def certificates(request):
    # The catalog's "Get the certificate" links here with ?kind=… chosen.
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") else None
    form = CertificateForm(
        request.POST or None, subjects=subject_choices(request.user), initial=initial
    )
    context = {"form": form, "preview": None}
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "certificates/home.html", context, status=400 if form.errors else 200
        )
    arguments = dict(
        kind=form.cleaned_data["kind"],
        subject=form.subject(),
        language2=form.cleaned_data["language2"] or None,
        channel=Channel.ONLINE,
        **form.scope(),
    )
    try:
        if request.POST.get("action") == "issue":
            # The button says "download": the answer is the PDF itself, not a page to click on.
            document = services.issue_certificate(request.user, **arguments)
            return pdf_attachment(document)
        context["preview"] = build_preview(services.preview(request.user, **arguments))
    except services.CertificateRefused as refused:
        form.add_error(None, refused.message)
        return render(
            request, "certificates/home.html", context, status=403 if refused.permission else 400
        )
    return render(request, "certificates/home.html", context)


def _own(request, number):
    try:
        return services.certificate_for_holder(request.user, number)
    except LookupError:
        raise Http404(_("No certificate of yours has this number.")) from None


@never_cache
@login_required
def detail(request, number):
    return render(request, "certificates/detail.html", {"document": _own(request, number)})


def pdf_attachment(document) -> HttpResponse:
    response = HttpResponse(services.read_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def download(request, number):
    return pdf_attachment(_own(request, number))


@never_cache
@login_required
def revoke(request):
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.revoke_certificate(
                request.user, form.cleaned_data["number"], form.cleaned_data["reason"]
            )
        except services.CertificateRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request, _("Certificate %(number)s is revoked.") % {"number": document.number}
            )
            return redirect("certificates:revoke")
    return render(
        request, "certificates/revoke.html", {"form": form}, status=400 if form.errors else 200
    )
