"""Uploads through the real forms: what is stored is the cleaned file, under a random private name."""

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from accounts.roles import Role
from tests.factories import ApplicationFactory, PlanVersionFactory, UserFactory
from tests.plans.posting import plan_post_data

pytestmark = pytest.mark.django_db
GPS = 0x8825
MIGRATION = {
    "countries_abroad": ["PL"],
    "years_abroad": "4.5",
    "still_abroad": "False",
    "return_date": "2024-09-01",
    "migration_experience": "Зварювальник на верфі в Гданську.",
}


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def gps_photo(name="Дозвіл на роботу Іваненко.jpg") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[GPS] = {1: "N", 2: (49.0, 50.0, 0.0), 3: "E", 4: (24.0, 1.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "white").save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_evidence_photo_is_stored_without_gps_under_a_random_name_and_downloaded_as_attachment(client):
    application = ApplicationFactory()
    client.force_login(application.applicant)

    client.post(
        url("applications:application_step", application.pk, "migration"),
        {**MIGRATION, "migration_evidence": gps_photo(), "action": "next"},
    )
    application.refresh_from_db()
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))
    response = client.get(url("applications:application_evidence", application.pk))
    served = b"".join(response.streaming_content)

    name = application.migration_evidence.name
    assert name.startswith("applications/evidence/") and name.endswith(".jpg")
    assert "Іваненко" not in name and len(name.rsplit("/", 1)[1]) == 36
    with Image.open(io.BytesIO(served)) as image:
        assert (image.size, image.getexif().get_ifd(GPS), dict(image.getexif())) == ((32, 24), {}, {})
    assert response["Content-Disposition"].startswith("attachment;")
    assert (response["X-Content-Type-Options"], response["Cache-Control"]) == ("nosniff", "private, no-store")


def test_a_quote_with_javascript_is_refused_on_the_plan_and_nothing_of_it_stored(client):
    version = PlanVersionFactory(complete=True)
    applicant = version.plan.application.applicant
    client.force_login(applicant)
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.launchURL('x')"))
    out = io.BytesIO()
    pdf.save(out)
    line = version.equipment_lines.get()
    stored_before = line.quote.name

    response = client.post(
        url("plans:plan_edit", version.plan.application.pk),
        plan_post_data(version, **{"equipment-0-quote": SimpleUploadedFile("quote.pdf", out.getvalue())}),
    )

    line.refresh_from_db()
    errors = response.context["equipment"].forms[0].errors["quote"]
    assert errors[0].startswith("This PDF contains active content")
    assert line.quote.name == stored_before


def test_a_request_with_more_files_than_any_form_takes_is_a_400(client, settings):
    application = ApplicationFactory()
    client.force_login(application.applicant)
    files = {f"file{n}": SimpleUploadedFile(f"{n}.png", b"x") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)}

    response = client.post(url("applications:application_step", application.pk, "migration"), {**MIGRATION, **files})

    assert response.status_code == 400
