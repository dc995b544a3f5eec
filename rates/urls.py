from django.urls import path

from . import views

app_name = "rates"

urlpatterns = [
    path("", views.rate_list, name="list"),
    path("edit/", views.rate_edit, name="edit"),
    path("import/", views.rate_import, name="import"),
]
