"""Retention: applications past their call's period are anonymised, abandoned drafts deleted, at the
boundary to the second; --dry-run changes nothing."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from accounts.roles import Role
from applications.models import AccessLogEntry, Application
from applications.privacy.retention import add_months, retention_run
from applications.staff import services as screening
from applications.staff.forms import CallForm
from tests.factories import ApplicationFactory, CallFactory, UserFactory, submitted_application

SECOND = timedelta(seconds=1)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)), st.integers(0, 240))
def test_adding_months_keeps_the_day_or_the_months_last_day(moment, months):
    later = add_months(moment, months)

    assert (later.year * 12 + later.month) - (moment.year * 12 + moment.month) == months
    assert later.day == moment.day or (later.day < moment.day and (later + timedelta(days=1)).day == 1)
    assert (later.hour, later.minute, later.second) == (moment.hour, moment.minute, moment.second)


def test_the_31st_of_january_plus_one_month_is_the_end_of_february():
    assert add_months(datetime(2024, 1, 31, 12), 1) == datetime(2024, 2, 29, 12)


def rejected(months: int) -> tuple[Application, datetime]:
    application = submitted_application(call=CallFactory(retention_months=months))
    screening.application_reject(
        application=application, actor=UserFactory(role=Role.PROGRAMME_OFFICER), reason="region", note="Не та область"
    )
    ended = application.status_changes.order_by("-created_at").first().created_at
    return Application.objects.get(pk=application.pk), ended


@pytest.mark.django_db
def test_an_application_is_anonymised_exactly_when_its_retention_period_ends():
    application, ended = rejected(months=24)
    due = add_months(ended, 24)

    early = retention_run(now=due - SECOND)
    kept = Application.objects.get(pk=application.pk)
    on_time = retention_run(now=due)
    gone = Application.objects.get(pk=application.pk)

    assert (early.anonymised, kept.last_name, kept.anonymised_at) == ([], application.last_name, None)
    assert [(a.pk, moment) for a, moment in on_time.anonymised] == [(application.pk, due)]
    assert (gone.last_name, gone.phone, gone.applicant, gone.status, gone.region) == ("", "", None, "rejected", "lviv")
    assert list(AccessLogEntry.objects.values_list("user", "action", "reason")) == [
        (None, "anonymised_retention", "retention 24 months")
    ]
    assert gone.status_changes.get().note == ""


@pytest.mark.django_db
def test_running_applications_are_never_anonymised_by_retention():
    running = submitted_application(call=CallFactory(retention_months=1))

    report = retention_run(now=add_months(running.submitted_at, 600))

    assert [a.pk for a, _ in report.anonymised] == []


@pytest.mark.django_db
def test_a_draft_is_deleted_exactly_when_it_has_been_untouched_for_the_setting():
    draft = ApplicationFactory()
    due = add_months(draft.updated_at, settings.DRAFT_RETENTION_MONTHS)

    early = retention_run(now=due - SECOND)
    still_there = Application.objects.filter(pk=draft.pk).exists()
    on_time = retention_run(now=due)

    assert (early.drafts, still_there) == ([], True)
    assert [d.pk for d in on_time.drafts] == [draft.pk]
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert list(AccessLogEntry.objects.values_list("action", "detail")) == [("draft_deleted", f"#{draft.pk}")]


@pytest.mark.django_db
def test_the_dry_run_lists_what_would_go_and_changes_nothing(settings):
    application, ended = rejected(months=1)
    draft = ApplicationFactory()
    settings.DRAFT_RETENTION_MONTHS = 0
    out = StringIO()

    report = retention_run(now=add_months(ended, 1), dry_run=True)
    call_command("apply_retention", "--dry-run", stdout=out)

    assert ([a.pk for a, _ in report.anonymised], [d.pk for d in report.drafts]) == ([application.pk], [draft.pk])
    assert "Would delete 1 drafts untouched for 0 months:" in out.getvalue()
    assert f"draft #{draft.pk}" in out.getvalue()
    assert Application.objects.get(pk=application.pk).anonymised_at is None
    assert Application.objects.filter(pk=draft.pk).exists()
    assert AccessLogEntry.objects.count() == 0


@pytest.mark.django_db
def test_the_daily_job_is_scheduled_and_runs():
    from applications.privacy.tasks import retention_sweep

    assert settings.CELERY_BEAT_SCHEDULE["retention-sweep"]["task"] == "applications.privacy.tasks.retention_sweep"
    assert retention_sweep.apply().get() == 0


@pytest.mark.django_db
def test_the_call_form_sets_the_retention_period_and_defaults_when_left_empty():
    call = CallFactory()
    fields = {
        name: value
        for name, value in CallForm(instance=call).initial.items()
        if name not in ("priority_groups", "retention_months")
    }
    fields.update(
        opens_at=call.opens_at.strftime("%Y-%m-%dT%H:%M"), closes_at=call.closes_at.strftime("%Y-%m-%dT%H:%M")
    )

    set_form = CallForm({**fields, "retention_months": "24"}, instance=call)
    empty_form = CallForm({**fields, "retention_months": ""}, instance=call)

    assert set_form.is_valid(), set_form.errors
    assert (set_form.cleaned_data["retention_months"], empty_form.is_valid()) == (24, True)
    assert empty_form.cleaned_data["retention_months"] == 60
