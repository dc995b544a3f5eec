from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        from applications.models import Call

        from .rubrics.receivers import call_saved

        post_save.connect(call_saved, sender=Call, dispatch_uid="reviews.rubric_for_new_call")
