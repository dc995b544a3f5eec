from django.urls import path

from . import views

app_name = "plan_pdf"

urlpatterns = [
    path("<int:pk>/", views.plan_pdf_download, name="download"),
]
