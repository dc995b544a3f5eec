"""Letter URLs: the download (namespace `letters`), the staff's letter actions (`staff_urlpatterns`, under the
`grants` namespace in grants/urls.py) and the public verification page (`public_urlpatterns`, no language
prefix: the QR code on a letter points there)."""

from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("<int:letter_id>/download/", views.letter_download, name="download"),
]

staff_urlpatterns = [
    path("calls/<int:call_id>/letters/", views.letters_start, name="letters_start"),
    path("calls/<int:call_id>/letters/confirm/", views.letters_confirm, name="letters_confirm"),
    path("applications/<int:application_id>/letters/", views.letter_issue, name="letter_issue"),
    path("letters/<int:letter_id>/regenerate/", views.letter_regenerate, name="letter_regenerate"),
    path(
        "letters/<int:letter_id>/regenerate/confirm/",
        views.letter_regenerate_confirm,
        name="letter_regenerate_confirm",
    ),
    path("batches/<int:batch_id>/", views.batch, name="batch"),
    path("batches/<int:batch_id>/progress/", views.batch_progress, name="batch_progress"),
    path("batches/<int:batch_id>/resume/", views.batch_resume, name="batch_resume"),
]

public_urlpatterns = [
    path("verify/", views.verify_form_view, name="letter_verify_form"),
    path("verify/<str:code>/", views.verify_view, name="letter_verify"),
]
