"""Report schedules from the call, reports and their review, reminders once each, retention cases decided
by an approver, and the application closed when the last report is accepted."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from applications.enums import ApplicationStatus
from applications.exceptions import ActorNotAllowed
from monitoring.enums import CaseSource, CaseStatus, ReminderKind, ReportStatus
from monitoring.exceptions import MonitoringError
from monitoring.field.services import case_move, case_open, visit_record
from monitoring.models import ReportReminder, RetentionCase
from monitoring.schedule import add_months
from monitoring.services import reminders_create, report_accept, report_return, report_save, report_submit
from monitoring.tasks import monitoring_send_reminders, report_reminder_email
from tests.factories.after_award import handed_over_grant

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2025, 1, 15), 12, date(2026, 1, 15)),
    ],
)
def test_months_after_the_handover_are_calendar_months(start, months, expected):
    assert add_months(start, months) == expected


def test_the_schedule_follows_the_call(officer):
    grant = handed_over_grant(officer=officer, call__monitoring_months=[3, 9, 18], call__equipment_retention_months=36)
    today = grant.monitoring_schedule.handed_over_on

    assert list(grant.monitoring_reports.values_list("months_after", "due_on", "status")) == [
        (3, add_months(today, 3), ReportStatus.DUE),
        (9, add_months(today, 9), ReportStatus.DUE),
        (18, add_months(today, 18), ReportStatus.DUE),
    ]
    assert grant.monitoring_schedule.retention_until == add_months(today, 36)


def complete(report, applicant, **fields):
    values = {"business_operating": True, "equipment_in_use": True, "revenue_band": "100k_500k", **fields}
    return report_save(
        report=report, actor=applicant, fields=values, jobs={("female", "under_35"): 2, ("male", "35_54"): 1}
    )


def test_a_draft_saves_anything_and_submitting_asks_for_what_is_missing(officer):
    grant = handed_over_grant(officer=officer)
    applicant = grant.application.applicant
    report = grant.monitoring_reports.first()

    report_save(report=report, actor=applicant, fields={"story": "Відкрили пекарню."})
    with pytest.raises(MonitoringError, match="whether the business is operating; whether the equipment"):
        report_submit(report=report, actor=applicant)
    complete(report, applicant)
    report = report_submit(report=report, actor=applicant)

    assert (report.status, report.jobs_total, report.story) == (ReportStatus.SUBMITTED, 3, "Відкрили пекарню.")
    with pytest.raises(MonitoringError, match="can no longer be changed"):
        report_save(report=report, actor=applicant, fields={"story": "Інше"})


def test_only_the_participant_writes_the_report(officer):
    grant = handed_over_grant(officer=officer)

    with pytest.raises(ActorNotAllowed):
        report_save(report=grant.monitoring_reports.first(), actor=officer, fields={"story": "x"})


def test_a_returned_report_is_corrected_and_the_last_accepted_closes_the_application(officer):
    grant = handed_over_grant(officer=officer)
    applicant = grant.application.applicant
    first, last = grant.monitoring_reports.order_by("months_after")
    for report in (first, last):
        complete(report, applicant)
        report_submit(report=report, actor=applicant)

    with pytest.raises(MonitoringError, match="what to correct"):
        report_return(report=last, actor=officer, note="")
    report_return(report=last, actor=officer, note="Уточніть кількість робочих місць.")
    report_submit(report=last, actor=applicant)
    report_accept(report=last, actor=officer)
    grant.application.refresh_from_db()
    assert grant.application.status == ApplicationStatus.EQUIPMENT_DELIVERED
    report_accept(report=first, actor=officer)

    grant.application.refresh_from_db()
    assert grant.application.status == ApplicationStatus.CLOSED
    assert list(last.status_changes.values_list("to_status", flat=True)) == [
        ReportStatus.SUBMITTED,
        ReportStatus.RETURNED,
        ReportStatus.SUBMITTED,
        ReportStatus.ACCEPTED,
    ]


def test_an_accepted_report_without_the_equipment_opens_a_retention_case(officer):
    grant = handed_over_grant(officer=officer)
    applicant = grant.application.applicant
    report = grant.monitoring_reports.first()
    complete(report, applicant, equipment_in_use=False, equipment_note="Піч продали сусідові.")
    report_submit(report=report, actor=applicant)

    report_accept(report=report, actor=officer)

    case = RetentionCase.objects.get(grant=grant)
    assert (case.status, case.source, case.report_id) == (CaseStatus.OPEN, CaseSource.REPORT, report.pk)
    assert "Піч продали сусідові." in case.reason_text
    with translation.override("uk"):
        assert case.reason_text.startswith("Звіт через 6 міс. після передачі: обладнання не використовується.")
    with translation.override("en"):
        assert case.status_changes.get().note_text.startswith(
            "Report 6 months after the handover: the equipment is not in use."
        )


def test_a_visit_finding_no_equipment_opens_one_case_and_an_approver_decides_it(officer, approver):
    grant = handed_over_grant(officer=officer)
    today = grant.monitoring_schedule.handed_over_on
    for _ in range(2):
        visit_record(
            grant=grant,
            actor=officer,
            visited_on=today,
            equipment_present=False,
            equipment_in_use=False,
            business_operating=True,
            discrepancy=True,
            discrepancy_note="Обладнання немає на місці.",
        )
    case = RetentionCase.objects.get(grant=grant)
    on = today.strftime("%d.%m.%Y")
    with translation.override("en"):
        assert case.reason_text == f"Field visit of {on}: the equipment is not there."
    with translation.override("uk"):
        assert case.reason_text == f"Візит на місце {on}: обладнання на місці немає."

    with pytest.raises(ActorNotAllowed):
        case_move(case, CaseStatus.RECOVER, actor=officer, note="Повернути")
    with pytest.raises(MonitoringError, match="reasons"):
        case_move(case, CaseStatus.RECOVER, actor=approver)
    case_move(case, CaseStatus.RECOVER, actor=approver, note="Повернути обладнання програмі.")
    case_move(case, CaseStatus.CLOSED, actor=officer, note="Повернуто.")

    case.refresh_from_db()
    assert (case.status, case.decided_by, case.source) == (CaseStatus.CLOSED, approver, CaseSource.VISIT)
    assert list(case.status_changes.values_list("to_status", flat=True)) == ["open", "recover", "closed"]


def test_a_transfer_goes_to_another_participant(officer, approver):
    grant = handed_over_grant(officer=officer)
    other = handed_over_grant(officer=officer)
    case = case_open(grant=grant, actor=officer, source=CaseSource.OFFICER, reason="Бізнес закрито.")

    with pytest.raises(MonitoringError, match="another participant"):
        case_move(case, CaseStatus.TRANSFER, actor=approver, note="Передати", transfer_to=grant.application)
    case_move(case, CaseStatus.TRANSFER, actor=approver, note="Передати", transfer_to=other.application)

    assert RetentionCase.objects.get(pk=case.pk).transfer_to == other.application


def test_reminders_are_written_once_and_emailed_once_in_the_participants_language(officer, settings):
    grant = handed_over_grant(officer=officer, language="en")
    report = grant.monitoring_reports.order_by("due_on").first()
    week_before = report.due_on - timedelta(days=7)

    first = reminders_create(today=week_before)
    again = reminders_create(today=week_before)
    assert (len(first), again) == (1, [])
    assert report_reminder_email(first[0]) is True
    assert report_reminder_email(first[0]) is False

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("1+1: your monitoring report is due on")
    assert f"/en/monitoring/reports/{report.pk}/" in mail.outbox[0].body
    assert list(ReportReminder.objects.values_list("kind", flat=True)) == [ReminderKind.UPCOMING]


def test_each_reminder_has_its_day(officer):
    grant = handed_over_grant(officer=officer)
    report = grant.monitoring_reports.order_by("due_on").first()

    kinds = {}
    for offset in (-8, -7, -3, 0, 3, 13, 14, 30):  # days from the due date
        reminders_create(today=report.due_on + timedelta(days=offset))
        kinds[offset] = sorted(report.reminders.values_list("kind", flat=True))

    assert kinds == {
        -8: [],
        -7: ["upcoming"],
        -3: ["upcoming"],
        0: ["due", "upcoming"],
        3: ["due", "upcoming"],
        13: ["due", "upcoming"],
        14: ["due", "overdue", "upcoming"],
        30: ["due", "overdue", "upcoming"],
    }


def test_the_beat_task_queues_nothing_twice(officer, django_capture_on_commit_callbacks):
    grant = handed_over_grant(officer=officer)
    report = grant.monitoring_reports.order_by("due_on").first()
    ReportReminder.objects.create(report=report, kind=ReminderKind.UPCOMING)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert monitoring_send_reminders() == 0
    assert callbacks == []
