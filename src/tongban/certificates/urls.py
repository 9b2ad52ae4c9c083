from django.urls import path

from . import kiosk_views, views

app_name = "certificates"
urlpatterns = [
    path("certificates/", views.certificates, name="home"),
    path("certificates/revoke/", views.revoke, name="revoke"),
    path("certificates/<str:number>/", views.detail, name="detail"),
    path("certificates/<str:number>/pdf", views.download, name="download"),
    path("kiosk/", kiosk_views.start, name="kiosk_start"),
    path("kiosk/code/", kiosk_views.code, name="kiosk_code"),
    path("kiosk/choose/", kiosk_views.choose, name="kiosk_choose"),
    path("kiosk/preview/", kiosk_views.preview, name="kiosk_preview"),
    path("kiosk/print/<str:number>/", kiosk_views.printed, name="kiosk_printed"),
    path("kiosk/print/<str:number>/pdf", kiosk_views.pdf, name="kiosk_pdf"),
    path("kiosk/end/", kiosk_views.end, name="kiosk_end"),
]
