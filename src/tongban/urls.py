from django.contrib import admin
from django.urls import include, path

from tongban.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/", include("tongban.accounts.signin.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tongban.accounts.urls")),
    path("", include("tongban.notifications.urls")),
    path("", include("tongban.catalog.urls")),
    path("", include("tongban.documents.urls")),
    path("", include("tongban.certificates.urls")),
    path("", include("tongban.cases.urls")),
    path("", include("tongban.web.urls")),
]
