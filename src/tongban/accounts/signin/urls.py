from django.urls import path

from . import views

app_name = "signin"
urlpatterns = [
    path("security/", views.security, name="security"),
    path("security/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
]
