"""Staff person look-ups have an hourly budget per staff member; going over it is refused and
flagged once on the audit chain for supervisors. Before: 120 look-ups in 1.4 s, unnoticed."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tongban.accounts import services
from tongban.accounts.constants import Role
from tongban.accounts.identifiers import IdentifierKind
from tongban.accounts.lookup_limits import FLAG_EVENT
from tongban.core.models import AuditEvent

from .conftest import HKID
from .signin_helpers import give_totp, sign_in_staff

pytestmark = pytest.mark.django_db
LOOKUP = "/api/v1/persons/lookup"


def token_for(user) -> dict:
    # Only staff with an authenticator get tokens; look-ups need the counter scope.
    if not user.authenticator_set.exists():
        give_totp(user)
    out = io.StringIO()
    call_command(
        "create_api_token",
        user.email,
        "--name",
        "t",
        "--scope",
        "counter",
        stdout=out,
        stderr=io.StringIO(),
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().strip()}"}


def look_up(client, auth, number=HKID):
    return client.post(
        LOOKUP,
        {"kind": IdentifierKind.HKID, "number": number},
        content_type="application/json",
        **auth,
    )


def test_a_clerk_over_the_hourly_budget_is_refused_and_flagged_once(
    client, settings, clerk_macau, applicant, make_user, zones
):
    settings.TONGBAN_PERSON_LOOKUPS_PER_HOUR = 3
    auth = token_for(clerk_macau)
    assert [look_up(client, auth).status_code for _ in range(3)] == [200, 200, 200]

    refused = look_up(client, auth)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert "too many look-ups this hour" in refused.json()["detail"]
    assert "supervisor has been told" in refused.json()["detail"]
    assert look_up(client, auth).status_code == 429

    flags = AuditEvent.objects.filter(event=FLAG_EVENT)
    assert flags.count() == 1  # flagged once, not on every refused look-up
    flag = flags.get()
    assert (flag.actor, flag.object_id) == (f"staff:{clerk_macau.pk}", str(clerk_macau.pk))
    assert flag.payload == {"limit": 3, "window_minutes": 60}
    assert HKID not in str(flag.payload)

    other = make_user("clerk.two@example.com", Role.ZONE_CLERK, zone=zones["mo"])
    assert look_up(client, token_for(other)).status_code == 200  # a budget per staff member


def test_the_find_page_shares_the_budget_and_says_why(client, settings, clerk_macau, applicant):
    settings.TONGBAN_PERSON_LOOKUPS_PER_HOUR = 1
    assert look_up(client, token_for(clerk_macau)).status_code == 200
    sign_in_staff(client, clerk_macau)  # token_for gave the clerk an authenticator app
    page = client.post(
        reverse("accounts:find_person"),
        {"kind": IdentifierKind.HKID, "number": HKID},
        headers={"accept-language": "en"},
    )
    assert "too many look-ups this hour" in page.content.decode()
    assert "陳大文" not in page.content.decode()


def test_supervisors_see_the_alerts_and_clerks_do_not(settings, clerk_macau, applicant, make_user):
    settings.TONGBAN_PERSON_LOOKUPS_PER_HOUR = 1
    services.find_person_by_document(clerk_macau, IdentifierKind.HKID, HKID)
    with pytest.raises(services.LookupLimitReached):
        services.find_person_by_document(clerk_macau, IdentifierKind.HKID, HKID)
    supervisor = make_user("boss@example.com", Role.SUPERVISOR)
    alerts = services.volume_alerts(supervisor)
    assert [(alert.staff, alert.limit, alert.window_minutes) for alert in alerts] == [
        (clerk_macau, 1, 60)
    ]
    assert services.volume_alerts(clerk_macau) == []
