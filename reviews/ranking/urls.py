from django.urls import path

from . import views

app_name = "ranking"

urlpatterns = [
    path("calls/<int:pk>/", views.ranking, name="call"),
    path("calls/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("calls/<int:pk>/export.csv", views.export_csv, name="export_csv"),
    path("calls/<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
]
