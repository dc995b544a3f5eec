"""The reports' pages: who sees what, the donor's hidden small counts, the exports and the IATI file."""

import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook

from accounts.roles import Role
from applications.enums import ConsentPurpose
from applications.models import AccessLogEntry
from applications.privacy.services import consent_withdraw
from monitoring.models import MonitoringReport
from reports.models import ExportRecord
from tests.factories import PASSWORD, UserFactory
from tests.reports.programme import build

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "iati-2.03"


@pytest.fixture
def programme():
    return build()


def url(name: str) -> str:
    return reverse(f"reports:{name}")


def signed_in(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CONSULTANT])
@pytest.mark.parametrize("name", ["dashboard", "map", "exports"])
def test_other_roles_are_refused_the_reports(client, role, name):
    signed_in(client, role)

    assert client.get(url(name)).status_code == 403


@pytest.mark.parametrize("name", ["export_pseudonymised", "export_full", "export_iati"])
def test_other_roles_cannot_download(client, programme, name):
    signed_in(client, Role.REVIEWER)

    response = client.post(url(name), {"kind": "applications", "file_format": "csv", "call": programme.call_a.pk})

    assert (response.status_code, ExportRecord.objects.count()) == (403, 0)


def test_anonymous_visitors_go_to_sign_in(client):
    response = client.get(url("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_donor_sees_small_counts_hidden(client, programme):
    signed_in(client, Role.DONOR_AUDITOR)

    response = client.get(url("dashboard"), {"call": programme.call_a.pk})
    board = response.context["board"]

    assert response.status_code == 200
    assert [cell.hidden for cell in board.headline.lines()[0][1]] == [False, True, True, True, True, True, False]
    funnel = {row.key: cells[0] for row, cells in board.funnel.lines()}
    assert [(funnel[k].value, funnel[k].hidden) for k in ("1", "2", "5", "8")] == [
        (7, False),
        (5, False),
        (4, True),
        (1, True),
    ]
    by_region = {row.key: cells for row, cells in board.by_region.lines()}
    # Odesa's 2 is the only other count: alone, 7 less Lviv's 5 would give it away, so Lviv's goes too.
    assert (by_region["lviv"][0].hidden, by_region["odesa"][0].hidden) == (True, True)
    assert (board.by_region.total_line()[0].value, board.by_region.total_line()[0].hidden) == (7, False)
    assert by_region["lviv"][2].hidden  # three grants: their amount is hidden with them
    assert "&lt;5" in response.content.decode()
    assert "Ганна" not in response.content.decode()


def test_a_lone_visible_cell_beside_a_hidden_total_row_is_protected(client, programme):
    """Applications by gender: women 4, men 2, undisclosed 1, total 7. All three cells are under 5 and the
    total 7 is shown; no single hidden cell can be worked out from it."""
    signed_in(client, Role.DONOR_AUDITOR)

    board = client.get(url("dashboard"), {"call": programme.call_a.pk}).context["board"]
    by_gender = next(table for table in board.breakdowns if table.key == "by-gender")

    assert [cells[0].hidden for _row, cells in by_gender.lines()] == [True, True, True]
    assert by_gender.total_line()[0].hidden is False


def test_secondary_suppression_hides_the_next_smallest_sector(client, programme):
    """Across both calls, sectors: agriculture 3, services 3 (a2, a5 and b1), industry 1, construction 1,
    education 0, other 0: every cell is under 5, so every cell is hidden and the total 8 stays."""
    signed_in(client, Role.DONOR_AUDITOR)

    board = client.get(url("dashboard")).context["board"]
    by_sector = next(table for table in board.breakdowns if table.key == "by-sector")

    assert all(cells[0].hidden for _row, cells in by_sector.lines())
    assert (by_sector.total_line()[0].value, by_sector.total_line()[0].hidden) == (8, False)


def test_staff_see_every_figure(client, programme):
    signed_in(client, Role.PROGRAMME_OFFICER)

    board = client.get(url("dashboard"), {"call": programme.call_a.pk}).context["board"]

    assert not any(cell.hidden for table in board.tables() for _row, cells in table.lines() for cell in cells)
    assert [cell.value for cell in board.headline.lines()[0][1]][:4] == [7, 4, 11000, 5450]


def test_the_map_shows_every_region_with_its_figure(client, programme):
    signed_in(client, Role.PROGRAMME_OFFICER)

    response = client.get(url("map"), {"call": programme.call_a.pk, "measure": "grant_usd"})
    page = response.content.decode()

    assert response.status_code == 200
    assert page.count("data-region=") == 27
    assert "<title>Lviv oblast: USD 9,500.00</title>" in page


def test_an_unknown_call_shows_every_call_with_a_message(client, programme):
    signed_in(client, Role.DONOR_AUDITOR)

    response = client.get(url("dashboard"), {"call": "999999"}, follow=True)

    assert response.status_code == 200
    assert response.context["call"] is None


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_pseudonymised_export_holds_no_name_email_or_phone(client, programme):
    signed_in(client, Role.DONOR_AUDITOR)

    response = client.post(
        url("export_pseudonymised"), {"kind": "applications", "file_format": "csv", "call": programme.call_a.pk}
    )
    text = response.content.decode("utf-8-sig")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="applications-pseudonymised-')
    for application in programme.apps.values():
        for value in (
            application.first_name,
            application.last_name,
            application.applicant.email,
            application.phone,
            application.reference,
        ):
            assert value not in text
    rows = rows_of(response)
    assert len(rows) == 1 + 6  # a7 withdrew the consent to donor reporting
    assert all(row[0].startswith("P-") for row in rows[1:])
    assert "Internally displaced person" not in text
    assert ExportRecord.objects.get().variant == "pseudonymised"
    assert AccessLogEntry.objects.count() == 0


def test_the_pseudonymous_id_is_the_same_in_every_export(client, programme):
    signed_in(client, Role.DONOR_AUDITOR)
    data = {"file_format": "csv", "call": programme.call_a.pk}

    applications = rows_of(client.post(url("export_pseudonymised"), {**data, "kind": "applications"}))
    grants = rows_of(client.post(url("export_pseudonymised"), {**data, "kind": "grants"}))

    granted = {row[0] for row in applications[1:] if row[14]}
    assert {row[0] for row in grants[1:]} == granted
    assert len(granted) == 4


def test_the_monitoring_export_keeps_the_story_only_with_consent(client, programme):
    signed_in(client, Role.DONOR_AUDITOR)
    story = MonitoringReport.objects.exclude(story="").select_related("grant__application").get()
    data = {"kind": "monitoring", "file_format": "csv", "call": programme.call_a.pk}

    consented = rows_of(client.post(url("export_pseudonymised"), data))
    consent_withdraw(
        application=story.grant.application, purpose=ConsentPurpose.STORIES, actor=story.grant.application.applicant
    )
    withdrawn = rows_of(client.post(url("export_pseudonymised"), data))

    assert (len(consented), sorted(row[-1] for row in consented[1:])) == (1 + 4, ["", "", "", story.story])
    assert [row[-1] for row in withdrawn[1:]] == ["", "", "", ""]


def test_the_dashboard_export_keeps_the_hidden_counts_hidden(client, programme):
    signed_in(client, Role.DONOR_AUDITOR)

    response = client.post(
        url("export_pseudonymised"), {"kind": "dashboard", "file_format": "xlsx", "call": programme.call_a.pk}
    )
    workbook = load_workbook(io.BytesIO(response.content))
    funnel = [[cell.value for cell in row] for row in workbook.worksheets[1].iter_rows()]

    assert funnel[5][:2] == ["Recommended", "<5"]
    assert funnel[1][:2] == ["Submitted", "7"]


def test_a_full_export_asks_for_the_password_then_logs_every_application(client, programme):
    officer = programme.officer
    client.force_login(officer)
    data = {
        "kind": "applications",
        "file_format": "xlsx",
        "call": programme.call_a.pk,
        "reason": "Audit of call A, 2021",
    }

    asked = client.post(url("export_full"), data)
    assert asked.status_code == 302 and "reauthenticate" in asked["Location"]
    assert ExportRecord.objects.count() == 0

    response = client.post(asked["Location"], {"password": PASSWORD}, follow=False)
    workbook = load_workbook(io.BytesIO(response.content))
    rows = [[cell.value for cell in row] for row in workbook.active.iter_rows()]

    assert response.status_code == 200
    assert len(rows) == 1 + 7
    assert "Ганна" in [value for row in rows for value in row]
    assert ExportRecord.objects.get().reason == "Audit of call A, 2021"
    assert AccessLogEntry.objects.filter(user=officer, action="export_applications").count() == 7


def test_a_full_export_without_a_reason_is_refused_and_stores_nothing(client, programme):
    client.force_login(programme.officer)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.post(url("export_full"), {"kind": "grants", "file_format": "csv", "reason": "x"})

    assert response.status_code == 302 and response["Location"] == url("exports")
    assert (ExportRecord.objects.count(), AccessLogEntry.objects.filter(action__startswith="export").count()) == (0, 0)


def test_the_donor_cannot_export_personal_data(client, programme):
    signed_in(client, Role.DONOR_AUDITOR)

    response = client.post(
        url("export_full"), {"kind": "applications", "file_format": "csv", "reason": "curious, truly"}
    )

    assert response.status_code == 403


def test_spreadsheet_formulas_are_neutralised(client, programme):
    application = programme.apps["a3"]
    application.first_name = "=HYPERLINK(1)"
    application.save(update_fields=["first_name"])
    client.force_login(programme.officer)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    rows = rows_of(
        client.post(url("export_full"), {"kind": "applications", "file_format": "csv", "reason": "Formula check"})
    )

    assert "'=HYPERLINK(1)" in [value for row in rows for value in row]


def test_the_iati_file_validates_against_the_official_schema(client, programme):
    signed_in(client, Role.DONOR_AUDITOR)
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "iati-activities-schema.xsd")))

    response = client.post(url("export_iati"), {"call": programme.call_a.pk})
    document = etree.fromstring(response.content)

    schema.assertValid(document)
    types = [(t.find("transaction-type").get("code"), t.find("value").text) for t in document.iter("transaction")]
    assert sorted(types) == sorted(
        [("2", "3000.00"), ("2", "2500.00"), ("2", "4000.00"), ("2", "1500.00"), ("4", "2950.00"), ("4", "2500.00")]
    )
    assert {v.get("currency") for v in document.iter("value")} == {"USD"}
    assert "Ганна" not in response.content.decode()
