from django.urls import path

from . import pdf_views

app_name = "plan_pdf"

urlpatterns = [
    path("<int:pk>/", pdf_views.plan_pdf_download, name="download"),
]
