from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from tongban.accounts import services as accounts
from tongban.cases import services as cases
from tongban.catalog import services as catalog
from tongban.certificates import services as certificates
from tongban.notifications import services as notifications

from .navigation import landing_for

FREQUENT_ON_HOME = 8
MY_HOME_CASES = 10
MY_HOME_MESSAGES = 5
MY_HOME_CERTIFICATES = 5


def home(request):
    frequent, _next = catalog.list_items(
        catalog.ItemFilters(high_frequency=True), limit=FREQUENT_ON_HOME
    )
    return render(
        request,
        "web/home.html",
        {"topics": catalog.list_topics(), "zones": catalog.list_zones(), "frequent": frequent},
    )


def health(request):
    """Liveness and database reachability; also the benchmarks' trivial floor view.

    Problems that do not stop the platform answering (an upload scanner that is down, or none at
    all in production) are listed under ``warnings`` with status ``warning``, still HTTP 200: a
    liveness probe must not restart a server over them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    scanner = cases.scanner_health()
    warnings = [] if scanner.ok else [f"upload scanner {scanner.name}: {scanner.warning}"]
    return JsonResponse(
        {
            "status": "warning" if warnings else "ok",
            "upload_scanner": scanner.name,
            "warnings": warnings,
        }
    )


@login_required
def start(request):
    """Where sign-in lands when no page asked for it: each role where its work is."""
    return redirect(landing_for(request.user))


@login_required
def my_home(request):
    """The applicant's home: open cases with their next step, messages, certificates."""
    if accounts.is_staff_member(request.user):
        return redirect(landing_for(request.user))
    open_cases = cases.open_cases(request.user, limit=MY_HOME_CASES)
    letters = {
        case.number: cases.case_letters(request.user, case.number)
        for case in open_cases
        if case.clock.kind == "delivery"
    }
    unread, _next = notifications.inbox(request.user, limit=MY_HOME_MESSAGES)
    context = {
        "person": accounts.person_for(request.user),
        "open_cases": [(case, letters.get(case.number, [])) for case in open_cases],
        "messages_unread": notifications.unread_count(request.user),
        "recent_messages": [message for message in unread if message.read_at is None],
        "certificates": certificates.issued_to(request.user, limit=MY_HOME_CERTIFICATES),
    }
    return render(request, "web/my_home.html", context)


def contact(request):
    zones = [
        {
            "code": zone.code,
            "name": zone.name,
            "address": zone.localized("address"),
            "hours": zone.localized("hours"),
            "phone": zone.phone,
        }
        for zone in catalog.list_zones()
    ]
    return render(request, "web/pages/contact.html", {"zones": zones})


def footer_page(request, page: str):
    """Help, privacy notice, accessibility statement and terms: fixed pages."""
    return render(request, f"web/pages/{page}.html")
