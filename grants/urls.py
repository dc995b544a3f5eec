from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    path("", views.calls, name="calls"),
    path("calls/<int:call_id>/", views.call_decisions, name="call_decisions"),
    path("calls/<int:call_id>/approve/", views.approve_bulk, name="approve_bulk"),
    path("calls/<int:call_id>/letters/", views.letters_start, name="letters_start"),
    path("applications/<int:application_id>/", views.application_decision, name="application"),
    path("applications/<int:application_id>/approve/", views.approve, name="approve"),
    path("applications/<int:application_id>/decline/", views.decline, name="decline"),
    path("applications/<int:application_id>/keep/", views.keep_waitlisted, name="keep_waitlisted"),
    path("applications/<int:application_id>/promote/", views.promote, name="promote"),
    path("applications/<int:application_id>/letters/", views.letter_issue, name="letter_issue"),
    path("letters/<int:letter_id>/regenerate/", views.letter_regenerate, name="letter_regenerate"),
    path("batches/<int:batch_id>/", views.batch, name="batch"),
    path("batches/<int:batch_id>/progress/", views.batch_progress, name="batch_progress"),
    path("batches/<int:batch_id>/resume/", views.batch_resume, name="batch_resume"),
]
