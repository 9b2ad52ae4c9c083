from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("start/", views.start, name="start"),
    path("me/home/", views.my_home, name="my_home"),
    path("help/", views.footer_page, {"page": "help"}, name="help"),
    path("contact/", views.contact, name="contact"),
    path("privacy/", views.footer_page, {"page": "privacy"}, name="privacy"),
    path("accessibility/", views.footer_page, {"page": "accessibility"}, name="accessibility"),
    path("terms/", views.footer_page, {"page": "terms"}, name="terms"),
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.ico"), permanent=True)),
]
