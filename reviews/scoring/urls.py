from django.urls import path

from . import views

app_name = "reviewing"

urlpatterns = [
    path("", views.home, name="home"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/declare/", views.declare, name="declare"),
    path("applications/<int:pk>/scores/", views.score, name="score"),
    path("conflicts/<int:pk>/clear/", views.conflict_clear, name="conflict_clear"),
    path("sessions/<int:pk>/chair/", views.chair, name="chair"),
    path("sessions/<int:pk>/chair/progress/", views.chair_progress, name="chair_progress"),
    path("sessions/<int:pk>/chair/slots/<int:slot_pk>/defended/", views.chair_defended, name="chair_defended"),
    path("sessions/<int:pk>/chair/slots/<int:slot_pk>/no-show/", views.chair_no_show, name="chair_no_show"),
    path("sessions/<int:pk>/chair/sheets/<int:sheet_pk>/reopen/", views.reopen, name="reopen"),
]
