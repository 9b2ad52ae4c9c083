from django.contrib import admin
from django.urls import include, path, re_path

from tongban.api import api
from tongban.core.api_errors import api_not_found

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    # Any other address under /api/: a JSON 404 in the API's error shape, not an HTML page.
    re_path(r"^api/", api_not_found),
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
