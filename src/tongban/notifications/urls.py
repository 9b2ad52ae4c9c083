from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("me/inbox/", views.inbox, name="inbox"),
    path("me/inbox/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("me/inbox/read-all/", views.mark_all_read, name="mark_all_read"),
]
