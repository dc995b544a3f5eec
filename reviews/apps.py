from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        from applications.models import Application, ApplicationPriorityIndex, Call
        from plans.models import PlanVersion

        from .models import ConflictDeclaration, Criterion, Rubric, ScoreSheet
        from .ranking import models as _stored_ranking  # noqa: F401 - registers the stored ranking's models
        from .ranking import receivers as ranking
        from .rubrics.receivers import call_saved

        post_save.connect(call_saved, sender=Call, dispatch_uid="reviews.rubric_for_new_call")
        # The stored ranking goes stale with what it reads (reviews.ranking.receivers).
        post_save.connect(ranking.call_saved, sender=Call, dispatch_uid="reviews.ranking.call")
        post_save.connect(ranking.application_saved, sender=Application, dispatch_uid="reviews.ranking.application")
        for model in (ScoreSheet, ConflictDeclaration, ApplicationPriorityIndex):
            for signal in (post_save, post_delete):
                signal.connect(ranking.by_application, sender=model, dispatch_uid=f"reviews.ranking.{model.__name__}")
        for signal in (post_save, post_delete):
            signal.connect(ranking.plan_version_saved, sender=PlanVersion, dispatch_uid="reviews.ranking.plan")
            signal.connect(ranking.rubric_saved, sender=Rubric, dispatch_uid="reviews.ranking.rubric")
            signal.connect(ranking.criterion_saved, sender=Criterion, dispatch_uid="reviews.ranking.criterion")
