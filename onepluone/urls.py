"""Every URL of the site. Each feature's urls.py names its namespace; the prefixes are set here.

Namespaces predate the feature sub-packages and are kept so that URL names never change:
`staff` (applications/staff), `consultations` (plans/consultations), `plans` (plans), `plan_pdf` (plans/pdf),
`reviewing` (reviews/scoring), `defense` (reviews/sessions), `rubric` (reviews/rubrics),
`ranking` (reviews/ranking), `grants` (grants/decisions and the staff's letter actions of grants/letters),
`letters` (grants/letters), `rates` (rates), `applications` (applications).
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from applications import views as application_views
from grants.letters.urls import public_urlpatterns as letter_verify_urls
from reviews.sessions.views import applicant_slot_ics

from .views import dashboard, healthz, help_page

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    *letter_verify_urls,
]

urlpatterns += i18n_patterns(
    path("", application_views.home, name="home"),
    path("dashboard/", dashboard, name="dashboard"),
    path("help/", help_page, name="help"),
    path("my/defense/<int:pk>.ics", applicant_slot_ics, name="applicant_defense_ics"),
    path("accounts/", include("allauth.urls")),
    path("staff/", include("applications.staff.urls")),
    path("admin/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("consultations/", include("plans.consultations.urls")),
    path("reviewing/", include("reviews.scoring.urls")),
    path("staff/defense/", include("reviews.sessions.urls")),
    path("staff/rubric/", include("reviews.rubrics.urls")),
    path("staff/ranking/", include("reviews.ranking.urls")),
    path("staff/decisions/", include("grants.urls")),
    path("letters/", include("grants.letters.urls")),
    path("plans/pdf/", include("plans.pdf.urls")),
    path("", include("procurement.urls")),
    path("", include("monitoring.urls")),
    path("", include("plans.urls")),
    path("staff/rates/", include("rates.urls")),
    path("audit/access-log/", include("applications.audit.urls")),
    path("", include("applications.privacy.urls")),
    path("reports/", include("reports.urls")),
    path("", include("applications.urls")),
    prefix_default_language=True,
)
