"""Encrypt the sensitive answers already stored (common.crypto), and move the declared priority groups
from a plain many-to-many table into an encrypted list with keyed blind indexes.

Reversible: going back decrypts every value into the plain columns and the many-to-many table again (with
the keys in FIELD_ENCRYPTION_KEYS at that moment). The rows are read and written with SQL, not the ORM,
because the historical models already read these columns as encrypted while they still hold plain text.
"""

import json

import common.fields
import django.db.models.deletion
from django.db import migrations, models

from common import crypto

PLAIN_COLUMNS = ("date_of_birth", "phone", "settlement", "migration_experience")


def _rows(cursor, sql, params=()):
    cursor.execute(sql, params)
    return cursor.fetchall()


def encrypt_rows(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    table = Application._meta.db_table
    through = Application._meta.get_field("priority_groups").remote_field.through._meta.db_table
    qn = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        columns = ", ".join(qn(column) for column in PLAIN_COLUMNS)
        for pk, *values in _rows(cursor, f"SELECT id, {columns} FROM {qn(table)}"):
            values = [None if value is None else str(value) for value in values]
            born = values[0]
            sealed = [crypto.encrypt(value) if value else value for value in values]
            assignments = ", ".join(f"{qn(column)} = %s" for column in PLAIN_COLUMNS)
            cursor.execute(
                f"UPDATE {qn(table)} SET {assignments}, {qn('birth_year')} = %s WHERE id = %s",
                [*sealed, int(born[:4]) if born else None, pk],
            )
        codes: dict[int, list[str]] = {}
        for application_id, code in _rows(
            cursor,
            f"SELECT t.{qn('application_id')}, g.{qn('code')} FROM {qn(through)} t "
            f"JOIN {qn('applications_prioritygroup')} g ON g.id = t.{qn('prioritygroup_id')}",
        ):
            codes.setdefault(application_id, []).append(code)
        for pk, _ in _rows(cursor, f"SELECT id, id FROM {qn(table)}"):
            answers = sorted(codes.get(pk, []))
            cursor.execute(
                f"UPDATE {qn(table)} SET {qn('priority_answers')} = %s WHERE id = %s",
                [crypto.encrypt(json.dumps(answers, ensure_ascii=False, sort_keys=True)), pk],
            )
            for code in answers:
                cursor.execute(
                    f"INSERT INTO {qn('applications_applicationpriorityindex')} ({qn('application_id')}, {qn('token')})"
                    " VALUES (%s, %s)",
                    [pk, crypto.blind_index("priority_group", code)],
                )


def decrypt_rows(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    table = Application._meta.db_table
    through = Application._meta.get_field("priority_groups").remote_field.through._meta.db_table
    qn = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        groups = dict(_rows(cursor, f"SELECT {qn('code')}, id FROM {qn('applications_prioritygroup')}"))
        columns = ", ".join(qn(column) for column in (*PLAIN_COLUMNS, "priority_answers"))
        for pk, *values in _rows(cursor, f"SELECT id, {columns} FROM {qn(table)}"):
            *plain, answers = [crypto.decrypt(value) if value else value for value in values]
            assignments = ", ".join(f"{qn(column)} = %s" for column in PLAIN_COLUMNS)
            cursor.execute(f"UPDATE {qn(table)} SET {assignments} WHERE id = %s", [*plain, pk])
            for code in json.loads(answers) if answers else []:
                if code in groups:
                    cursor.execute(
                        f"INSERT INTO {qn(through)} ({qn('application_id')}, {qn('prioritygroup_id')}) VALUES (%s, %s)",
                        [pk, groups[code]],
                    )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_access_log_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="birth_year",
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name="year of birth"),
        ),
        migrations.AddField(
            model_name="application",
            name="priority_answers",
            field=common.fields.EncryptedJSONField(blank=True, default=list, verbose_name="priority groups"),
        ),
        migrations.CreateModel(
            name="ApplicationPriorityIndex",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(db_index=True, max_length=64)),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="priority_index",
                        to="applications.application",
                    ),
                ),
            ],
            options={
                "verbose_name": "priority group index",
                "verbose_name_plural": "priority group indexes",
                "constraints": [models.UniqueConstraint(fields=("application", "token"), name="priority_index_unique")],
            },
        ),
        migrations.AlterField(
            model_name="application",
            name="date_of_birth",
            field=common.fields.EncryptedDateField(blank=True, null=True, verbose_name="date of birth"),
        ),
        migrations.AlterField(
            model_name="application",
            name="migration_experience",
            field=common.fields.EncryptedTextField(blank=True, verbose_name="work experience abroad"),
        ),
        migrations.AlterField(
            model_name="application",
            name="phone",
            field=common.fields.EncryptedCharField(blank=True, max_length=32, verbose_name="phone"),
        ),
        migrations.AlterField(
            model_name="application",
            name="settlement",
            field=common.fields.EncryptedCharField(blank=True, max_length=150, verbose_name="town or village"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
