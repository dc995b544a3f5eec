from django.urls import path

from . import views

urlpatterns = [
    path("", views.calls, name="calls"),
    path("calls/<int:call_id>/", views.call_decisions, name="call_decisions"),
    path("calls/<int:call_id>/approve/", views.approve_bulk, name="approve_bulk"),
    path("applications/<int:application_id>/", views.application_decision, name="application"),
    path("applications/<int:application_id>/approve/", views.approve, name="approve"),
    path(
        "applications/<int:application_id>/approve/confirm/",
        views.decision_confirm,
        {"action": "approve"},
        name="approve_confirm",
    ),
    path(
        "applications/<int:application_id>/decline/confirm/",
        views.decision_confirm,
        {"action": "decline"},
        name="decline_confirm",
    ),
    path("applications/<int:application_id>/decline/", views.decline, name="decline"),
    path("applications/<int:application_id>/keep/", views.keep_waitlisted, name="keep_waitlisted"),
    path("applications/<int:application_id>/promote/", views.promote, name="promote"),
]
