from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("calls/new/", views.call_edit, name="call_create"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/applications/", views.queue, name="queue"),
    path("calls/<int:pk>/applications/bulk/", views.queue_bulk, name="queue_bulk"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/checks/", views.application_checks, name="application_checks"),
    path("applications/<int:pk>/shortlist/", views.application_shortlist, name="application_shortlist"),
    path("applications/<int:pk>/reject/", views.application_reject, name="application_reject"),
    path("applications/<int:pk>/message/", views.application_message, name="application_message"),
]
