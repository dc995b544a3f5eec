"""Every call has its rubric: calls saved before the rubric came with the call get the default one now
(before, the first visit to a call's rubric or defense pages created it)."""

from django.db import migrations

from reviews.rubrics.defaults import default_criterion_fields


def create_missing_rubrics(apps, schema_editor):
    Call = apps.get_model("applications", "Call")
    Rubric = apps.get_model("reviews", "Rubric")
    Criterion = apps.get_model("reviews", "Criterion")
    for call in Call.objects.filter(rubric__isnull=True):
        rubric = Rubric.objects.create(call=call)
        Criterion.objects.bulk_create(Criterion(rubric=rubric, **fields) for fields in default_criterion_fields())


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_call_last_agreement_number_call_two_person_rule"),
        ("reviews", "0003_slot_history_sheet_event_statuses"),
    ]

    operations = [migrations.RunPython(create_missing_rubrics, migrations.RunPython.noop)]
