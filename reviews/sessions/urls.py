from django.urls import path

from . import views

app_name = "defense"

urlpatterns = [
    path("calls/<int:call_pk>/", views.call_sessions, name="call"),
    path("calls/<int:call_pk>/schedule/", views.schedule_automatically, name="schedule_automatically"),
    path("calls/<int:call_pk>/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/schedule/", views.slot_schedule, name="slot_schedule"),
    path("sessions/<int:pk>/members/", views.member_add, name="member_add"),
    path("slots/<int:pk>/move/", views.slot_move, name="slot_move"),
    path("slots/<int:pk>/cancel/", views.slot_cancel, name="slot_cancel"),
    path("conflicts/<int:pk>/clear/", views.conflict_clear, name="conflict_clear"),
    path("slots/<int:pk>/no-show/", views.slot_no_show, name="slot_no_show"),
    path("slots/<int:pk>/defended/", views.slot_defended, name="slot_defended"),
]
