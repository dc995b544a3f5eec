"""The declared priority groups live encrypted in Application.priority_answers since 0007."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0007_encrypt_sensitive_answers"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="application",
            name="priority_groups",
        ),
    ]
