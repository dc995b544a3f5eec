from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_call_last_agreement_number_call_two_person_rule"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicationstatuschange",
            name="note_code",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="applicationstatuschange",
            name="note_params",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
