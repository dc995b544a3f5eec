"""A call gets its rubric when it is saved, so that no page has to create one on a GET.

`applications.services.call_save` cannot create it: applications sits below reviews and may not import it.
So reviews listens: `ReviewsConfig.ready()` connects `call_saved` to the post-save signal of `Call`, whichever
way the call is saved (the officers' call form, the admin, seed_demo). A call that already has a rubric keeps it.
"""

from reviews.rubrics.services import rubric_create_default


def call_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:  # a fixture being loaded brings its own rows
        rubric_create_default(call=instance)
