from django.urls import path

from . import ranking_views

app_name = "ranking"

urlpatterns = [
    path("calls/<int:pk>/", ranking_views.ranking, name="call"),
    path("calls/<int:pk>/confirm/", ranking_views.confirm, name="confirm"),
    path("calls/<int:pk>/export.csv", ranking_views.export_csv, name="export_csv"),
    path("calls/<int:pk>/export.xlsx", ranking_views.export_xlsx, name="export_xlsx"),
]
