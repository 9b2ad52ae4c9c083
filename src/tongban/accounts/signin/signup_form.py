"""The sign-up form: the same work whether or not the address already has an account."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        # A new account costs a password hash; an address that already has one would cost only
        # an e-mail, so the reply's timing would tell which. Hash (and discard) here too: both
        # branches then hash once and send one e-mail.
        if self.account_already_exists and self.cleaned_data.get("password1"):
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)
