"""common/display.py: every model's get_FOO_display reads its labels from choices built once, and still in
the reader's language, with an unknown stored value shown as it is stored, as Django shows it."""

from django.utils import translation

from applications.enums import ApplicationStatus
from applications.models import Application


def test_labels_follow_the_active_language():
    application = Application(status=ApplicationStatus.SUBMITTED, region="lviv")

    with translation.override("uk"):
        uk = (application.get_status_display(), application.get_region_display())
    with translation.override("en"):
        en = (application.get_status_display(), application.get_region_display())

    assert uk[0] == "Подано" and "Львів" in uk[1]
    assert en[0] == "Submitted" and "Lviv" in en[1]


def test_a_value_outside_the_choices_reads_as_stored():
    assert Application(status="no-such-status").get_status_display() == "no-such-status"


def test_the_models_display_reads_the_built_choices():
    labels = Application.__dict__["get_status_display"].keywords["labels"]

    assert labels["submitted"] == ApplicationStatus.SUBMITTED.label
