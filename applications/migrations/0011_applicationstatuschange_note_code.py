from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0010_call_after_award_settings"),
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
