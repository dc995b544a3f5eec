from django.urls import path

from . import views
from .field import views as field_views

app_name = "monitoring"

urlpatterns = [
    path("staff/monitoring/", views.reports, name="reports"),
    path("staff/monitoring/reports/<int:report_id>/", views.report_detail, name="report"),
    path("staff/monitoring/reports/<int:report_id>/review/", views.report_review, name="report_review"),
    path("staff/monitoring/grants/<int:grant_id>/", field_views.grant, name="grant"),
    path("staff/monitoring/grants/<int:grant_id>/visits/", field_views.visit_create, name="visit_create"),
    path("staff/monitoring/grants/<int:grant_id>/cases/", field_views.case_create, name="case_create"),
    path("staff/monitoring/samples/", field_views.samples, name="samples"),
    path("staff/monitoring/samples/<int:sample_id>/", field_views.sample, name="sample"),
    path("staff/monitoring/cases/", field_views.cases, name="cases"),
    path("staff/monitoring/cases/<int:case_id>/", field_views.case, name="case"),
    path("staff/monitoring/calls/<int:call_id>/plan-vs-actual/", field_views.plan_vs_actual, name="plan_vs_actual"),
    path("monitoring/", views.my_reports, name="my_reports"),
    path("monitoring/reports/<int:report_id>/", views.report_edit, name="report_edit"),
    path("monitoring/photos/<int:photo_id>/remove/", views.report_photo_remove, name="report_photo_remove"),
    path("monitoring/photos/<str:kind>/<int:photo_id>/", views.photo_download, name="photo"),
]
