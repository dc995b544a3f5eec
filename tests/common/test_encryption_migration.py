"""Migration 0007 encrypts the answers stored before it, and going back restores them in clear."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("applications", "0006_access_log_append_only")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def columns(pk, *names):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(names)} FROM applications_application WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_encrypted_forward_and_decrypted_backward():
    old = migrate(BEFORE)
    User, Call, Programme = (
        old.get_model(*name) for name in (("accounts", "User"), ("applications", "Call"), ("applications", "Programme"))
    )
    PriorityGroup, Application = (
        old.get_model("applications", "PriorityGroup"),
        old.get_model("applications", "Application"),
    )

    call = Call.objects.create(
        programme=Programme.objects.create(name_uk="П", name_en="P"),
        title_uk="К",
        title_en="C",
        cycle_year=2021,
        budget_envelope=1000,
        opens_at=timezone.now(),
        closes_at=timezone.now() + timezone.timedelta(days=1),
    )
    user = User.objects.create(email="old@example.org")
    application = Application.objects.create(
        call=call,
        applicant=user,
        date_of_birth=date(1979, 6, 1),
        phone="+380 67 000 1111",
        settlement="Стрий",
        migration_experience="Доглядала літніх людей у Неаполі.",
    )
    application.priority_groups.set(PriorityGroup.objects.filter(code__in=["idp", "veteran"]))

    try:
        new = migrate(leaves())
        encrypted = columns(
            application.pk, "date_of_birth", "phone", "settlement", "migration_experience", "priority_answers"
        )
        fresh = new.get_model("applications", "Application").objects.get(pk=application.pk)
        Index = new.get_model("applications", "ApplicationPriorityIndex")
        indexed = Index.objects.filter(application_id=application.pk).count()

        assert all(value.startswith("gAAAAA") for value in encrypted)
        assert (fresh.date_of_birth, fresh.phone, fresh.settlement, fresh.birth_year) == (
            date(1979, 6, 1),
            "+380 67 000 1111",
            "Стрий",
            1979,
        )
        assert (fresh.priority_answers, indexed) == (["idp", "veteran"], 2)

        back = migrate(BEFORE)
        assert columns(application.pk, "phone", "settlement")[0] == "+380 67 000 1111"
        restored = back.get_model("applications", "Application").objects.get(pk=application.pk)
        assert sorted(restored.priority_groups.values_list("code", flat=True)) == ["idp", "veteran"]
        assert restored.date_of_birth == date(1979, 6, 1)
    finally:
        migrate(leaves())
