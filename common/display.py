"""Every model's `get_FOO_display()` from a dict of the field's choices built once, not on every call.

Django's own `Model._get_FIELD_display` rebuilds that dict for each call, passing every choice through
`make_hashable`: on a list page that shows three labelled columns for each row, that was a fifth of the
page's time. The labels stay lazy, so each call still reads in the active language. A field whose choices
are a callable (evaluated when read) and a `get_FOO_display` a model defines itself keep Django's way.
This module is imported by common.apps, before any model class is built (`class_prepared`).
"""

from functools import partialmethod

from django.db.models import Model
from django.db.models.signals import class_prepared
from django.dispatch import receiver
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _display(self, *, field, labels):
    value = getattr(self, field.attname)
    try:
        label = labels.get(value, value)
    except TypeError:  # an unhashable value (a list in a JSON field with choices): as Django does it
        label = dict(make_hashable(field.flatchoices)).get(make_hashable(value), value)
    return force_str(label, strings_only=True)


@receiver(class_prepared)
def _display_from_built_choices(sender, **kwargs):
    for field in sender._meta.local_fields:
        name = f"get_{field.name}_display"
        method = sender.__dict__.get(name)
        if not field.choices or not isinstance(method, partialmethod) or method.func is not Model._get_FIELD_display:
            continue
        if not isinstance(field.choices, (list, tuple)):
            continue
        labels = dict(make_hashable(field.flatchoices))
        setattr(sender, name, partialmethod(_display, field=field, labels=labels))
