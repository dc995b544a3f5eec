from django.apps import AppConfig


class OnepluoneConfig(AppConfig):
    name = "onepluone"
    verbose_name = "onepluone"

    def ready(self) -> None:
        # The one access policy registers every permission (django-rules) once the apps are loaded.
        from . import policy  # noqa: F401
