"""/kiosk/: the self-service printer's screens — identify, code, choose, preview, print.

Every response is ``no-store``: the next person at the kiosk cannot go back to the previous
one's screens, and the PDF is served inline from the documents registry, never cached.
"""

from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tongban.core.clientaddress import client_network

from . import kiosk, services
from .forms import KioskChooseForm, KioskCodeForm, KioskIdentifyForm
from .kinds import CertificateKind, Channel
from .preview import build_preview


def kiosk_page(view):
    """No caching; an idle or broken session sends the screen back to the start."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except kiosk.KioskError as error:
            messages.info(request, error.message)
            response = redirect("certificates:kiosk_start")
        response["Cache-Control"] = "no-store, max-age=0"
        response["Pragma"] = "no-cache"
        return response

    return wrapper


def _render(request, template, context=None, status=200):
    context = {"idle_seconds": kiosk.idle_seconds(), **(context or {})}
    return render(request, f"certificates/kiosk/{template}", context, status=status)


@kiosk_page
@require_http_methods(["GET", "POST"])
def start(request):
    if kiosk.holder(request) is not None:
        return redirect("certificates:kiosk_choose")
    form = KioskIdentifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kiosk.start_identification(
                request,
                form.cleaned_data["kind"],
                form.cleaned_data["number"],
                client_network(request),
            )
        except kiosk.KioskError as error:
            form.add_error(None, error.message)
        else:
            return redirect("certificates:kiosk_code")
    return _render(
        request, "start.html", {"form": form, "session": False}, 400 if form.errors else 200
    )


@kiosk_page
@require_http_methods(["GET", "POST"])
def code(request):
    state = kiosk.current(request)
    if not state or state.get("stage") != "code":
        return redirect("certificates:kiosk_start")
    form = KioskCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kiosk.check_code(request, form.cleaned_data["code"])
        except kiosk.KioskError as error:
            if error.restart:
                raise
            form.add_error("code", error.message)
        else:
            return redirect("certificates:kiosk_choose")
    return _render(
        request, "code.html", {"form": form, "session": True}, 400 if form.errors else 200
    )


def _holder_or_start(request):
    holder = kiosk.holder(request)
    if holder is None:
        raise kiosk.KioskError(_("Start with your identity document."), restart=True)
    return holder


@kiosk_page
def choose(request):
    _holder_or_start(request)
    return _render(
        request,
        "choose.html",
        {"kinds": CertificateKind.choices, "form": KioskChooseForm(), "session": True},
    )


@kiosk_page
@require_http_methods(["GET", "POST"])
def preview(request):
    holder = _holder_or_start(request)
    form = KioskChooseForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return redirect("certificates:kiosk_choose")
    arguments = dict(
        kind=form.cleaned_data["kind"],
        language2=form.cleaned_data["language2"] or None,
        channel=Channel.KIOSK,
    )
    try:
        if request.method == "POST":
            document = services.issue_certificate(holder, **arguments)
            kiosk.remember_issued(request, document.number)
            return redirect("certificates:kiosk_printed", number=document.number)
        prepared = services.preview(holder, **arguments)
    except services.CertificateRefused as refused:
        return _render(
            request,
            "refused.html",
            {"message": refused.message, "session": True},
            403 if refused.permission else 400,
        )
    context = {
        "preview": build_preview(prepared),
        "form": form,
        "language2": arguments["language2"],
        "session": True,
    }
    return _render(request, "preview.html", context)


@kiosk_page
def printed(request, number):
    _holder_or_start(request)
    if not kiosk.may_print(request, number):
        raise Http404
    document = services.get_certificate(number)
    return _render(request, "printed.html", {"document": document, "session": True})


@kiosk_page
def pdf(request, number):
    _holder_or_start(request)
    if not kiosk.may_print(request, number):
        raise Http404
    document = services.get_certificate(number)
    response = HttpResponse(services.read_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.number}.pdf"'
    return response


@kiosk_page
@require_http_methods(["GET", "POST"])
def end(request):
    timed_out = request.GET.get("reason") == "idle"
    kiosk.end(request, reason="idle" if timed_out else "finished")
    messages.info(
        request,
        _("The session ended after a period without use.")
        if timed_out
        else _("Thank you. The session has ended."),
    )
    return redirect("certificates:kiosk_start")
