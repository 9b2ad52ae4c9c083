"""The security page: second factors, passkeys, sessions, linked identity providers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongban.accounts.signin import services


@login_required
def security(request):
    overview = services.security_overview(request.user)
    return render(request, "signin/security.html", {"overview": overview})


@login_required
@require_POST
def sign_out_everywhere(request):
    services.sign_out_everywhere(request)
    messages.success(request, _("You have been signed out on every device, this one included."))
    return redirect("account_login")
