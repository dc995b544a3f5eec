import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onepluone.settings.local")

app = Celery("onepluone")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _feature_packages() -> list[str]:
    """Every installed app, and every feature sub-package of one that has a tasks.py (`grants.letters`)."""
    from django.apps import apps

    packages = []
    for config in apps.get_app_configs():
        packages.append(config.name)
        packages.extend(f"{config.name}.{tasks.parent.name}" for tasks in sorted(Path(config.path).glob("*/tasks.py")))
    return packages


app.autodiscover_tasks(_feature_packages)
