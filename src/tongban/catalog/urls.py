from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("services/", views.browse, name="browse"),
    path("services/search/", views.search, name="search"),
    path("services/departments/", views.department_list, name="departments"),
    path(
        "services/departments/<str:credit_code>/",
        views.department_detail,
        name="department",
    ),
    path("services/<str:code>/", views.item_detail, name="item"),
    path("services/<str:code>/checklist/", views.item_checklist, name="checklist"),
]
