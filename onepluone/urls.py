from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from applications import views as application_views
from grants.verify_views import verify_form_view, verify_view

from .views import healthz, help_page

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("verify/", verify_form_view, name="letter_verify_form"),
    path("verify/<str:code>/", verify_view, name="letter_verify"),
]

urlpatterns += i18n_patterns(
    path("", application_views.home, name="home"),
    path("dashboard/", application_views.dashboard, name="dashboard"),
    path("help/", help_page, name="help"),
    path("accounts/", include("allauth.urls")),
    path("staff/", include("applications.staff_urls")),
    path("admin/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("consultations/", include("plans.consultation_urls")),
    path("reviewing/", include("reviews.reviewer_urls")),
    path("staff/defense/", include("reviews.session_urls")),
    path("staff/rubric/", include("reviews.rubric_urls")),
    path("staff/ranking/", include("reviews.ranking_urls")),
    path("staff/decisions/", include("grants.urls")),
    path("letters/", include("grants.letter_urls")),
    path("plans/pdf/", include("plans.pdf_urls")),
    path("", include("plans.urls")),
    path("staff/rates/", include("rates.urls")),
    path("", include("applications.urls")),
    prefix_default_language=True,
)
