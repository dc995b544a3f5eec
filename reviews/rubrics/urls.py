from django.urls import path

from . import views

app_name = "rubric"

urlpatterns = [
    path("calls/<int:call_pk>/", views.rubric_page, name="call"),
    path("calls/<int:call_pk>/settings/", views.settings_save, name="settings"),
    path("calls/<int:call_pk>/criteria/new/", views.criterion_add, name="criterion_add"),
    path("criteria/<int:pk>/", views.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/remove/", views.criterion_remove, name="criterion_remove"),
]
