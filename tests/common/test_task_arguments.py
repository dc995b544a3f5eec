"""Celery tasks take ids: no personal answer travels through the broker, its logs or a failed task's record."""

import inspect
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from onepluone.celery import app
from tests.factories import ApplicationFactory

ROOT = Path(__file__).resolve().parents[2]
# Account emails are rendered in the request (allauth needs it) and carry the address and the message;
# they hold none of the encrypted answers. Owned by accounts (sign-up, verification, password reset).
RENDERED_EMAIL = "accounts.tasks.send_rendered_email"


def project_tasks() -> dict:
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_every_task_takes_only_ids():
    arguments = {
        name: [
            (parameter.name, parameter.annotation)
            for parameter in inspect.signature(task.run).parameters.values()
            if parameter.name != "self"
        ]
        for name, task in project_tasks().items()
        if name != RENDERED_EMAIL
    }

    not_ids = {
        name: [
            parameter
            for parameter, annotation in parameters
            if not (parameter.endswith("_id") and annotation in (int, int | None))  # an optional id carries none either
            and not (parameter.endswith("_ids") and annotation == list[int])
        ]
        for name, parameters in arguments.items()
    }
    assert {name: found for name, found in not_ids.items() if found} == {}
    assert len(arguments) >= 9


def test_no_task_is_queued_with_a_model_or_an_answer():
    """Every place that queues a task passes ids (`x.pk`, `x_id`, `ids`) or nothing."""
    call = re.compile(r"\.(?:delay|delay_on_commit|apply_async)\(([^)]*)\)")
    allowed = re.compile(r"^\s*(?:[\w.]*(?:\.pk|_id|_ids|ids|\.id)(?:\[[\w :+]*\])?)?\s*$")
    offenders = []
    for config in ROOT.glob("*/apps.py"):
        for path in config.parent.rglob("*.py"):
            if "migrations" in path.parts or path.parts[-2] == "accounts" and path.name == "adapter.py":
                continue
            for arguments in call.findall(path.read_text()):
                if not all(allowed.match(argument) for argument in arguments.split(",")):
                    offenders.append(f"{path.relative_to(ROOT)}: {arguments}")

    assert offenders == []


@pytest.mark.django_db
def test_error_reports_hide_every_answer_of_the_application_form(client):
    application = ApplicationFactory()
    client.force_login(application.applicant)
    response = client.post(
        reverse("applications:application_step", args=[application.pk, "personal"]),
        {"phone": "+48 600 100 200", "action": "autosave"},
    )

    shown = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert shown["phone"] == SafeExceptionReporterFilter.cleansed_substitute
