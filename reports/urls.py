from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("map/", views.ukraine_map, name="map"),
    path("exports/", views.exports, name="exports"),
    path("exports/pseudonymised/", views.export_pseudonymised, name="export_pseudonymised"),
    path("exports/full/", views.export_full, name="export_full"),
    path("exports/iati/", views.export_iati, name="export_iati"),
]
