"""Sensitive answers are stored encrypted: the database holds tokens, the application reads the answers."""

from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from applications.models import Application, ApplicationPriorityIndex
from common.crypto import DecryptionError
from common.fields import encrypted_fields
from tests.factories import (
    ApplicationFactory,
    UserFactory,
    declare_priority_groups,
    priority_group,
    submitted_application,
)

pytestmark = pytest.mark.django_db
SENSITIVE = {
    "date_of_birth": date(1985, 4, 2),
    "phone": "+48 600 100 200",
    "settlement": "Жовква",
    "migration_experience": "Пережила насильство, переїхала до Вроцлава.",
}
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw(application, *columns) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM applications_application WHERE id = %s",  # noqa: S608
            [application.pk],
        )
        return cursor.fetchone()


def test_every_sensitive_answer_is_stored_as_a_token_and_read_back_as_typed():
    application = declare_priority_groups(ApplicationFactory(**SENSITIVE), "survivor", "idp")

    stored = raw(application, *SENSITIVE, "priority_answers")
    fresh = Application.objects.get(pk=application.pk)

    assert sorted(field.name for field in encrypted_fields(Application)) == sorted([*SENSITIVE, "priority_answers"])
    assert all(token.startswith("gAAAAA") for token in stored)
    assert not any(str(value) in token for value, token in zip(SENSITIVE.values(), stored, strict=False))
    assert {name: getattr(fresh, name) for name in SENSITIVE} == SENSITIVE
    assert (fresh.priority_answers, fresh.birth_year) == (["idp", "survivor"], 1985)


def test_an_unanswered_question_stays_empty_not_encrypted():
    application = ApplicationFactory(date_of_birth=None, phone="", settlement="")

    assert raw(application, "date_of_birth", "phone", "settlement", "birth_year") == (None, "", "", None)


def test_the_birth_year_follows_the_date_of_birth_on_a_partial_save():
    application = ApplicationFactory()
    application.date_of_birth = date(1990, 1, 31)
    application.save(update_fields=["date_of_birth"])

    assert raw(application, "birth_year") == (1990,)


def test_encrypted_fields_refuse_sql_filters_but_not_isnull():
    ApplicationFactory()

    with pytest.raises(FieldError):
        Application.objects.filter(phone="+48 600 100 200").count()
    assert Application.objects.filter(date_of_birth__isnull=False).count() == 1


def test_the_queue_filters_by_priority_group_through_the_blind_index_only(client):
    survivor = declare_priority_groups(submitted_application(last_name="Гнатюк"), "survivor")
    declare_priority_groups(submitted_application(call=survivor.call, last_name="Савчук"), "veteran")
    client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))
    tokens = set(ApplicationPriorityIndex.objects.values_list("token", flat=True))
    query = {"priority_group": priority_group("survivor").pk}

    with translation.override("en"):
        response = client.get(reverse("staff:queue", args=[survivor.call_id]), query)

    assert [row.last_name for row in response.context["page"]] == ["Гнатюк"]
    assert not tokens & {"survivor", "veteran"} and all(len(token) == 64 for token in tokens)


def test_a_value_no_configured_key_opens_is_a_clear_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    application = ApplicationFactory()
    settings.FIELD_ENCRYPTION_KEYS = [NEW]

    with pytest.raises(DecryptionError):
        Application.objects.get(pk=application.pk)


def test_rotation_re_encrypts_every_row_with_the_newest_key_once_and_keeps_the_filter(settings, client, capsys):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    applications = [declare_priority_groups(ApplicationFactory(**SENSITIVE), "idp") for _ in range(3)]
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    call_command("rotate_encryption_keys", batch_size=2)
    first = capsys.readouterr().out
    call_command("rotate_encryption_keys", batch_size=2)
    second = capsys.readouterr().out
    settings.FIELD_ENCRYPTION_KEYS = [NEW]

    assert "applications.Application: 15 values re-encrypted in 3 rows." in first
    assert "Priority group indexes rebuilt for 3 applications." in first
    assert "applications.Application: 0 values re-encrypted in 0 rows." in second
    assert "Priority group indexes rebuilt for 0 applications." in second
    assert [Application.objects.get(pk=a.pk).phone for a in applications] == [SENSITIVE["phone"]] * 3
    assert Fernet(NEW.encode()).decrypt(raw(applications[0], "phone")[0].encode()).decode() == SENSITIVE["phone"]
    from applications.staff.filters import ScreeningFilter

    found = ScreeningFilter({"priority_group": priority_group("idp").pk}, queryset=Application.objects.all()).qs
    assert sorted(found.values_list("pk", flat=True)) == sorted(a.pk for a in applications)


@pytest.mark.postgres
def test_postgresql_rows_hold_no_plaintext_anywhere():
    declare_priority_groups(ApplicationFactory(**SENSITIVE), "survivor")

    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(a)::text FROM applications_application a")
        (row,) = cursor.fetchone()
        cursor.execute("SELECT string_agg(row_to_json(i)::text, ',') FROM applications_applicationpriorityindex i")
        (index,) = cursor.fetchone()

    for secret in [*map(str, SENSITIVE.values()), "1985-04-02", "survivor", "Жовква", "+48"]:
        assert secret not in row and secret not in index, secret
    assert '"birth_year":1985' in row
