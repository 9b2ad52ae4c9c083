from django.urls import path

from . import views

app_name = "signin"
urlpatterns = [
    path("security/", views.security, name="security"),
    path("security/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("security/tokens/new/", views.create_api_token, name="create_api_token"),
    path("security/tokens/<int:token_id>/revoke/", views.revoke_api_token, name="revoke_api_token"),
]
