"""The PDF of a submitted business plan: what it states, the file it leaves, and who may download it.

The PDF's text is read back with poppler's pdftotext, as a panel member's viewer would; under CI=true
poppler-utils is required, elsewhere the tests that need it are skipped without it.
"""

import hashlib
import os
import re
import shutil
import subprocess
import threading
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from applications.models import AccessLogEntry
from onepluone.settings import test as test_settings
from plans.enums import PlanSection
from plans.models import PlanVersion
from plans.pdf.documents import render_plan_pdf
from plans.pdf.tasks import plan_pdf_render
from tests.factories import (
    ConsultantAssignmentFactory,
    ContributionLineFactory,
    EquipmentLineFactory,
    PlanVersionFactory,
    UserFactory,
    shortlisted_application,
)

RATES_DATE = date(2025, 3, 3)
SUBMITTED_AT = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)  # 11:30 in Kyiv


def submitted_version(**application_fields) -> PlanVersion:
    """A version as `plan_submit` leaves it: an item in UAH at 0.025 USD per hryvnia, USD 3,000.00 of own
    money, and the grant of the 1+1 rule; built directly, without the rates app."""
    application = shortlisted_application(patronymic="Петрівна", **application_fields)
    version = PlanVersionFactory(
        plan__application=application,
        number=1,
        **{name: f"Текст розділу «{name}»." for name in PlanSection.values}
        | {"summary": "Сімейна сироварня у Жовкві: тверді сири для ринків і кав'ярень."},
        jobs_total=3,
        jobs_women=2,
        projection=[{"revenue": f"{40000 + 1000 * month}.00", "costs": "30000.00"} for month in range(12)],
        submitted=True,
        submitted_at=SUBMITTED_AT,
        submitted_by=application.applicant,
        rates_date=RATES_DATE,
        equipment_usd=Decimal("3500.00"),
        own_cash_usd=Decimal("3000.00"),
        own_in_kind_usd=Decimal("0.00"),
        own_counted_usd=Decimal("3000.00"),
        grant_usd=Decimal("3000.00"),
        match_ratio=Decimal("1.00"),
        cap_usd=Decimal("4000.00"),
    )
    EquipmentLineFactory(
        version=version,
        item="Сироварня на 200 л",
        unit_price=Decimal("140000.00"),
        currency="UAH",
        usd_per_unit=Decimal("0.02500000"),
        rate_date=RATES_DATE,
        total_usd=Decimal("3500.00"),
    )
    ContributionLineFactory(
        version=version,
        amount=Decimal("3000.00"),
        currency="USD",
        usd_per_unit=Decimal("1.00000000"),
        rate_date=RATES_DATE,
        amount_usd=Decimal("3000.00"),
    )
    return loaded(version.pk)


def loaded(pk: int) -> PlanVersion:
    return (
        PlanVersion.objects.select_related("plan__application__call__programme")
        .prefetch_related("equipment_lines", "contribution_lines")
        .get(pk=pk)
    )


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} (poppler-utils) is required under CI")
        pytest.skip(f"{tool} (poppler-utils) is not installed on this machine")
    return path


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "plan.pdf"
    path.write_bytes(content)
    return subprocess.run(
        [poppler("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def layout_lines(text: str) -> list[str]:
    """The non-blank lines of `pdftotext -layout`, their runs of spaces as one."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def rows_after(lines: list[str], start: str, count: int) -> list[str]:
    """`count` lines from the first one that starts with `start`."""
    index = next(i for i, line in enumerate(lines) if line.startswith(start))
    return lines[index : index + count]


def pdf_fonts(content: bytes, tmp_path: Path) -> list[tuple[str, str]]:
    """(font name without its subset tag, embedded) for each font of the PDF, from `pdffonts`."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    output = subprocess.run(
        [poppler("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    rows = [line.split() for line in output[2:] if line.strip()]
    # name, type (may hold a space), encoding, emb, sub, uni, object id, generation: read from the right.
    return sorted({(row[0].split("+")[-1], row[-5]) for row in rows})


def download_url(version: PlanVersion) -> str:
    with translation.override("uk"):
        return reverse("plan_pdf:download", args=[version.pk])


def download(client, version: PlanVersion):
    """The response and its body. Reading a file response to the end closes the file (the test client
    closes it as a server would, without closing this test's database connection)."""
    response = client.get(download_url(version))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def stored_pdfs(root: Path, reference: str) -> list[str]:
    """This application's PDFs in the private storage the whole run (and the worker) shares."""
    return sorted(path.name for path in (root / "plans" / "pdf").rglob(f"plan-{reference}-*.pdf"))


def stored_bytes(version: PlanVersion) -> bytes:
    with version.pdf.open("rb") as handle:
        return handle.read()


def private_root() -> Path:
    return Path(storages["private"].location)


@pytest.mark.django_db
class TestContent:
    def test_pdf_states_the_figures_stored_at_submission(self, tmp_path):
        version = submitted_version()
        reference = version.plan.application.reference

        text = pdf_text(render_plan_pdf(version), tmp_path)

        for expected in [
            reference,
            "Іваненко Марія Петрівна",
            "Резюме / Summary",
            "Бізнес і його ринок / The business and its market",
            "Сімейна сироварня у Жовкві: тверді сири для ринків і кав'ярень.",
            "Львівська область / Lviv oblast",
            "Жовківська",
            "Сільське господарство / Agriculture",
            "Версія / Version 1",
            "3 500,00 USD",  # pdftotext reads the narrow no-break space of common.money as a space
            "4 000,00 USD",
            "Сторінка 1 з ",
        ]:
            assert expected in text, expected
        assert text.count(reference) >= 3  # the title, the details and every page's header

    def test_rows_state_the_rate_and_its_date_beside_each_amount(self, tmp_path):
        version = submitted_version()

        lines = layout_lines(pdf_text(render_plan_pdf(version), tmp_path))

        assert rows_after(lines, "Заявник / Applicant", 1) == ["Заявник / Applicant Іваненко Марія Петрівна"]
        assert rows_after(lines, "Подано / Submitted", 2) == [
            "Подано / Submitted 03.03.2025 11:30",
            "Курси НБУ на / NBU rates of 03.03.2025",
        ]
        assert rows_after(lines, "1 Сироварня на 200 л", 2) == [
            "1 Сироварня на 200 л ТОВ «Агромаш» 1 140 000,00 UAH так / yes 0.025 3 500,00",
            "Виробництво твердих сирів 03.03.2025",
        ]
        assert rows_after(lines, "1 Кошти / Cash", 2) == [
            "1 Кошти / Cash Заощадження з роботи в Польщі 3 000,00 USD 1.00 3 000,00",
            "03.03.2025",
        ]

    def test_financing_table_states_the_stored_totals_and_the_grant(self, tmp_path):
        version = submitted_version()

        lines = layout_lines(pdf_text(render_plan_pdf(version), tmp_path))

        assert rows_after(lines, "Вартість обладнання / Equipment cost", 7) == [
            "Вартість обладнання / Equipment cost 3 500,00 USD",
            "Власні кошти / Own cash 3 000,00 USD",
            "Внесок у натуральній формі / In kind 0,00 USD",
            "Зарахований власний внесок / Own contribution counted 3 000,00 USD",
            "Коефіцієнт співфінансування / Match ratio 1,00",
            "Максимальний грант конкурсу / Call's cap 4 000,00 USD",
            "Грант (обладнанням) / Grant (in equipment) 3 000,00 USD",
        ]

    def test_projection_total_row_sums_the_twelve_months(self, tmp_path):
        version = submitted_version()

        text = pdf_text(render_plan_pdf(version), tmp_path)

        total_lines = [" ".join(line.split()) for line in text.splitlines() if line.strip().startswith("Разом / Total")]
        assert total_lines == ["Разом / Total 546 000,00 360 000,00 186 000,00"]

    def test_pdf_embeds_dejavu_sans(self, tmp_path):
        version = submitted_version()

        fonts = pdf_fonts(render_plan_pdf(version), tmp_path)

        assert fonts == [("DejaVu-Sans", "yes"), ("DejaVu-Sans-Bold", "yes")]

    def test_pdf_is_a4_and_the_same_bytes_every_time(self, tmp_path):
        version = submitted_version()

        first, second = render_plan_pdf(version), render_plan_pdf(version)

        path = tmp_path / "info.pdf"
        path.write_bytes(first)
        info = subprocess.run([poppler("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
        page_sizes = {" ".join(line.split()) for line in info.splitlines() if line.startswith("Page size:")}
        assert page_sizes == {"Page size: 595.276 x 841.89 pts (A4)"}
        assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


@pytest.mark.django_db
class TestTask:
    def test_task_run_twice_stores_one_file_with_its_sha256(self):
        version = submitted_version()
        reference = version.plan.application.reference

        first, second = plan_pdf_render(version.pk), plan_pdf_render(version.pk)

        version.refresh_from_db()
        content = stored_bytes(version)
        assert (first, second) == (True, False)
        assert version.pdf.name == f"plans/pdf/{date.today():%Y}/plan-{reference}-v1.pdf"
        assert stored_pdfs(private_root(), reference) == [f"plan-{reference}-v1.pdf"]
        assert version.pdf_sha256 == hashlib.sha256(content).hexdigest()
        assert content == render_plan_pdf(loaded(version.pk))

    def test_task_never_rewrites_a_stored_pdf(self):
        version = submitted_version()
        plan_pdf_render(version.pk)
        version.refresh_from_db()
        name, sha256 = version.pdf.name, version.pdf_sha256
        PlanVersion.objects.filter(pk=version.pk).update(summary="Змінений текст після подання.")

        rendered_again = plan_pdf_render(version.pk)

        version.refresh_from_db()
        assert (rendered_again, version.pdf.name, version.pdf_sha256) == (False, name, sha256)
        assert hashlib.sha256(stored_bytes(version)).hexdigest() == sha256

    def test_task_does_not_render_a_draft(self):
        draft = PlanVersionFactory(complete=True)

        rendered = plan_pdf_render(draft.pk)

        draft.refresh_from_db()
        assert (rendered, draft.pdf.name, draft.pdf_sha256) == (False, "", "")
        assert stored_pdfs(private_root(), draft.plan.application.reference) == []

    def test_task_for_a_deleted_version_does_nothing(self):
        assert plan_pdf_render(999_999) is False


@pytest.mark.django_db
class TestDownload:
    @pytest.fixture
    def version(self):
        version = submitted_version()
        plan_pdf_render(version.pk)
        version.refresh_from_db()
        return version

    def test_owner_downloads_the_stored_pdf_without_an_audit_row(self, client, version):
        client.force_login(version.plan.application.applicant)

        response, body = download(client, version)

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="plan-{version.plan.application.reference}-v1.pdf"'
        )
        assert response["Cache-Control"] == "private, no-store"
        assert hashlib.sha256(body).hexdigest() == version.pdf_sha256
        assert AccessLogEntry.objects.count() == 0

    def test_officer_download_is_audited(self, client, version):
        officer = UserFactory(role=Role.PROGRAMME_OFFICER)
        client.force_login(officer)

        response, body = download(client, version)

        assert response.status_code == 200
        assert body == stored_bytes(version)
        assert list(AccessLogEntry.objects.values_list("user", "application", "action")) == [
            (officer.pk, version.plan.application_id, "download_plan_pdf")
        ]

    def test_assigned_consultant_downloads_and_is_audited(self, client, version):
        assignment = ConsultantAssignmentFactory(application=version.plan.application)
        client.force_login(assignment.consultant)

        response, body = download(client, version)

        assert response.status_code == 200
        assert list(AccessLogEntry.objects.values_list("user", "action")) == [
            (assignment.consultant.pk, "download_plan_pdf")
        ]

    def test_consultant_not_assigned_gets_404(self, client, version):
        ConsultantAssignmentFactory(application=version.plan.application)
        client.force_login(UserFactory(role=Role.CONSULTANT))

        response, body = download(client, version)

        assert response.status_code == 404

    def test_another_applicant_gets_404(self, client, version):
        client.force_login(UserFactory())

        response, body = download(client, version)

        assert (response.status_code, AccessLogEntry.objects.count()) == (404, 0)

    def test_anonymous_visitor_is_sent_to_sign_in(self, client, version):
        url = download_url(version)

        response = client.get(url)

        with translation.override("uk"):
            login = reverse(settings.LOGIN_URL)
        assert (response.status_code, response["Location"]) == (302, f"{login}?next={url}")

    def test_draft_has_no_pdf(self, client):
        draft = PlanVersionFactory(complete=True)
        client.force_login(draft.plan.application.applicant)

        response, _body = download(client, draft)

        assert response.status_code == 404

    def test_unknown_version_is_404(self, client):
        client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

        response = client.get(reverse("plan_pdf:download", args=[999_999]))

        assert response.status_code == 404

    def test_pdf_not_ready_queues_it_and_shows_a_page_that_reloads(self, client, eager_tasks):
        version = submitted_version()
        client.force_login(version.plan.application.applicant)

        pending, page = download(client, version)

        version.refresh_from_db()
        assert pending.status_code == 200
        # The queued task ran in this process (eager), rendering its own templates during the request.
        assert [t.name for t in pending.templates] == [
            "plans/plan_pdf.html",
            "plans/plan_pdf.css",
            "plans/pdf_pending.html",
        ]
        assert '<meta http-equiv="refresh" content="3">' in page.decode()
        assert pending["Cache-Control"] == "private, no-store"
        assert version.pdf_sha256 != ""  # the queued task ran (in this process)

        ready, body = download(client, version)

        assert (ready.status_code, ready["Content-Type"]) == (200, "application/pdf")
        assert hashlib.sha256(body).hexdigest() == version.pdf_sha256


@pytest.mark.django_db(transaction=True)
def test_pdf_is_rendered_by_the_worker(celery_worker, settings):
    version = submitted_version()
    reference = version.plan.application.reference

    plan_pdf_render.delay(version.pk)

    deadline = time.monotonic() + 60
    while not PlanVersion.objects.get(pk=version.pk).pdf_sha256 and time.monotonic() < deadline:
        time.sleep(0.25)
    version.refresh_from_db()
    assert version.pdf_sha256 != "", "the PDF was not stored within 60 s"
    # The worker process keeps files where the test settings put them, not in this test's folder.
    root = private_root() if settings.CELERY_TASK_ALWAYS_EAGER else Path(test_settings.PRIVATE_MEDIA_ROOT)
    stored = root / version.pdf.name
    try:
        # A file of an earlier run under the same name makes the storage add a suffix, never overwrite.
        assert re.fullmatch(rf"plans/pdf/\d{{4}}/plan-{re.escape(reference)}-v1(_\w{{7}})?\.pdf", version.pdf.name)
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == version.pdf_sha256
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            assert celery_worker.alive()
            assert "plans.pdf.tasks.plan_pdf_render" in celery_worker.log.read_text()
    finally:
        stored.unlink(missing_ok=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_store_one_file():
    version = submitted_version()
    reference = version.plan.application.reference
    start = threading.Barrier(2)
    results = []

    def run():
        try:
            start.wait(timeout=10)
            results.append(plan_pdf_render(version.pk))
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    version.refresh_from_db()
    assert sorted(results) == [False, True]
    assert stored_pdfs(private_root(), reference) == [f"plan-{reference}-v1.pdf"]
    assert hashlib.sha256(stored_bytes(version)).hexdigest() == version.pdf_sha256
