from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.home, name="home"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/sessions/", views.session_log, name="session_log"),
    path("applications/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("staff-assign/<int:call_pk>/", views.assign, name="assign"),
]
