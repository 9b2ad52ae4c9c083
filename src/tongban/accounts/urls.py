from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/edit/", views.edit_profile, name="edit_profile"),
    path("me/documents/add/", views.add_document, name="add_document"),
    path("me/documents/<int:pk>/remove/", views.remove_document, name="remove_document"),
    path("me/companies/", views.companies, name="companies"),
    path("me/companies/<int:pk>/", views.company, name="company"),
    path(
        "me/companies/<int:pk>/authorisations/<int:authorisation_pk>/revoke/",
        views.revoke,
        name="revoke",
    ),
    path("me/consent/", views.consent, name="consent"),
    path("me/consent/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/download/", views.download_my_data, name="download_my_data"),
    path("me/data/delete/", views.request_deletion, name="request_deletion"),
    path("staff/find/", views.find_person, name="find_person"),
    path("staff/persons/new/", views.register_at_counter, name="register_at_counter"),
    path("staff/persons/<int:pk>/", views.staff_person, name="staff_person"),
    path("staff/persons/<int:pk>/consent/", views.record_consent, name="record_consent"),
]
