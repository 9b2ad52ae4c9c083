"""The security page: second factors, passkeys, sessions, linked identity providers, and for
staff their API tokens (made after re-authentication, shown once, revocable)."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tongban.accounts import services as accounts
from tongban.accounts.signin import services
from tongban.accounts.signin.forms import ApiTokenForm
from tongban.accounts.staff import ApiToken


def _security_page(request, *, token_form=None, status=200):
    context = {"overview": services.security_overview(request.user)}
    if accounts.is_staff_member(request.user):
        context["api_tokens"] = accounts.api_tokens_of(request.user)
        context["token_form"] = token_form or ApiTokenForm()
        context["now"] = timezone.now()
    return render(request, "signin/security.html", context, status=status)


@login_required
def security(request):
    return _security_page(request)


@login_required
@require_POST
def sign_out_everywhere(request):
    services.sign_out_everywhere(request)
    messages.success(request, _("You have been signed out on every device, this one included."))
    return redirect("account_login")


@login_required
@require_POST
@reauthentication_required
@never_cache
def create_api_token(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _security_page(request, token_form=form, status=400)
    try:
        record, token = accounts.create_api_token(
            request.user,
            form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            days=form.cleaned_data["days"],
            actor=request.user,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return _security_page(request, token_form=form, status=400)
    # The one time the token is shown: never cached, never stored.
    return render(request, "signin/token_created.html", {"record": record, "token": token})


@login_required
@require_POST
def revoke_api_token(request, token_id: int):
    try:
        revoked = accounts.revoke_own_api_token(request.user, token_id)
    except ApiToken.DoesNotExist as missing:
        raise Http404(_("There is no such token.")) from missing
    if revoked:
        messages.success(request, _("The token is revoked; it no longer works."))
    return redirect("signin:security")
