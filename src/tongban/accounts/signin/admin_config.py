"""Django's admin app with Tongban's site (``admin_site``): no sign-in of its own.

A module of its own because INSTALLED_APPS imports it before any model can be."""

from django.contrib.admin.apps import AdminConfig


class PlatformSignInAdminConfig(AdminConfig):
    default_site = "tongban.accounts.signin.admin_site.PlatformSignInAdminSite"
