from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("applications/<int:pk>/plan/", views.plan_detail, name="plan_detail"),
    path("applications/<int:pk>/plan/edit/", views.plan_edit, name="plan_edit"),
    path("applications/<int:pk>/plan/preview/", views.plan_preview, name="plan_preview"),
    path("applications/<int:pk>/plan/v<int:number>/", views.plan_detail, name="plan_version"),
    path("applications/<int:pk>/plan/v<int:number>/return/", views.plan_return, name="plan_return"),
    path("plans/quotes/<int:line_pk>/", views.quote_download, name="quote_download"),
    path("plans/evidence/<int:line_pk>/", views.evidence_download, name="evidence_download"),
]
