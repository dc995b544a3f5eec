import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onepluone.settings.local")

app = Celery("onepluone")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
