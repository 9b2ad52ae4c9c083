from django.urls import path

from .views import after_decision, applicant, counter, followup, public_status, review, supervision

app_name = "cases"
urlpatterns = [
    # Anyone with a receipt, and claiming a counter profile
    path("status/", public_status.status_page, name="public_status"),
    path("me/claim/", public_status.claim, name="claim"),
    # The applicant
    path("apply/<str:code>/", applicant.start, name="start"),
    path("me/cases/", applicant.my_cases, name="mine"),
    path("me/cases/<str:number>/", applicant.case_page, name="case"),
    path("me/cases/<str:number>/details/", applicant.edit, name="edit"),
    path("me/cases/<str:number>/materials/", applicant.materials, name="materials"),
    path("me/cases/<str:number>/consent/", applicant.consent, name="consent"),
    path("me/cases/<str:number>/review/", applicant.review, name="review"),
    path("me/cases/<str:number>/withdraw/", applicant.withdraw, name="withdraw"),
    path("me/cases/<str:number>/resubmit/", applicant.resubmit, name="resubmit"),
    path("me/cases/<str:number>/delivery/", after_decision.choose_delivery, name="delivery"),
    path("me/cases/<str:number>/rating/", after_decision.rate, name="rate"),
    path("me/cases/<str:number>/rating/feedback/", after_decision.feedback, name="feedback"),
    path("me/visits/<int:visit_id>/rating/", after_decision.rate_visit, name="rate_visit"),
    path(
        "me/cases/<str:number>/files/<int:attachment_id>/",
        applicant.attachment,
        name="attachment",
    ),
    path("me/cases/<str:number>/letters/<str:letter_number>/", applicant.letter, name="letter"),
    # Staff
    path("staff/counter/", counter.counter, name="counter"),
    path("staff/counter/start/", counter.counter_start, name="counter_start"),
    path("staff/counter/cases/<str:number>/", counter.counter_case, name="counter_case"),
    path("staff/counter/cases/<str:number>/visit/", counter.record_visit, name="record_visit"),
    path("staff/counter/cases/<str:number>/receipt/", counter.receipt, name="staff_receipt"),
    path("staff/queue/", review.queue, name="queue"),
    path("staff/cases/<str:number>/", review.staff_case, name="staff_case"),
    path("staff/cases/<str:number>/do/<str:action>/", review.act, name="act"),
    path("staff/cases/<str:number>/follow-up/call/", followup.call_back, name="call_back"),
    path("staff/cases/<str:number>/follow-up/outcome/", followup.outcome, name="outcome"),
    path(
        "staff/cases/<str:number>/files/<int:attachment_id>/",
        review.staff_attachment,
        name="staff_attachment",
    ),
    path(
        "staff/cases/<str:number>/letters/<str:letter_number>/",
        review.staff_letter,
        name="staff_letter",
    ),
    path("staff/supervision/", supervision.supervision, name="supervision"),
    path(
        "staff/supervision/messages/<int:delivery_id>/resend/",
        supervision.resend,
        name="resend",
    ),
]
