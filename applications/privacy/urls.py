from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.download, name="download"),
    path("my-data/erasure/", views.erasure_request, name="erasure_request"),
    path("my-data/applications/<int:pk>/consent/", views.consent_change, name="consent_change"),
    path("staff/erasure-requests/", views.erasure_queue, name="erasure_queue"),
    path("staff/erasure-requests/<int:pk>/", views.erasure_detail, name="erasure_detail"),
]
