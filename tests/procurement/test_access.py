"""Who gets what on every procurement and monitoring URL: the owner, another applicant, each staff role and
an anonymous visitor. Staff pages answer 403 to other roles; a participant's pages and files answer 404
to anyone but the owner (staff are sent to the staff page); anonymous visitors are sent to sign in."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from monitoring.enums import CaseSource
from monitoring.field.services import case_open, visit_record
from monitoring.models import FieldVisit, VisitPhoto
from monitoring.services import report_photo_add
from procurement.contributions.services import evidence_add
from procurement.models import ContributionEvidence
from procurement.services import procurement_open
from tests.factories import UserFactory
from tests.factories.after_award import awarded_grant, handed_over_grant, pdf_upload
from tests.monitoring.photos import jpeg_upload

pytestmark = pytest.mark.django_db

ROLES = ["owner", "other_applicant", "officer", "approver", "consultant", "reviewer", "donor", "anonymous"]
STAFF_PAGE = {
    "officer": 200,
    "approver": 200,
    "anonymous": 302,
    **dict.fromkeys(["owner", "other_applicant", "consultant", "reviewer", "donor"], 403),
}
OWNER_PAGE = {
    "owner": 200,
    "officer": 302,
    "approver": 302,
    "anonymous": 302,
    **dict.fromkeys(["other_applicant", "consultant", "reviewer", "donor"], 404),
}
OWNER_FILE = {
    "owner": 200,
    "officer": 200,
    "approver": 200,
    "anonymous": 302,
    **dict.fromkeys(["other_applicant", "consultant", "reviewer", "donor"], 404),
}
STAFF_FILE = {
    "officer": 200,
    "approver": 200,
    "anonymous": 302,
    **dict.fromkeys(["owner", "other_applicant", "consultant", "reviewer", "donor"], 404),
}


@pytest.fixture
def world():
    """One handed-over grant with everything its pages show, a second grant of the same participant with
    contribution evidence, and one person per role."""
    officer = UserFactory(role=Role.PROGRAMME_OFFICER)
    grant = handed_over_grant(officer=officer)
    owner = grant.application.applicant
    second = awarded_grant(applicant=owner)
    procurement_open(grant=second, actor=officer)
    evidence = evidence_add(proof=second.contribution_proofs.get(), actor=owner, upload=pdf_upload())
    report = grant.monitoring_reports.order_by("months_after").first()
    photo = report_photo_add(report=report, actor=owner, upload=jpeg_upload())
    visit = visit_record(
        grant=grant,
        actor=officer,
        visited_on=grant.monitoring_schedule.handed_over_on,
        equipment_present=True,
        equipment_in_use=True,
        business_operating=True,
        photos=[jpeg_upload()],
    )
    case = case_open(grant=grant, actor=officer, source=CaseSource.OFFICER, reason="Перевірити")
    people = {
        "owner": owner,
        "other_applicant": UserFactory(),
        "officer": officer,
        "approver": UserFactory(role=Role.APPROVER),
        "consultant": UserFactory(role=Role.CONSULTANT),
        "reviewer": UserFactory(role=Role.REVIEWER),
        "donor": UserFactory(role=Role.DONOR_AUDITOR),
    }
    ids = {
        "grant": grant.pk,
        "call": grant.call_id,
        "item": grant.procurement_items.get().pk,
        "act": grant.handover_acts.get().pk,
        "report": report.pk,
        "report_photo": photo.pk,
        "visit_photo": VisitPhoto.objects.get(visit=visit).pk,
        "case": case.pk,
        "evidence": evidence.pk,
    }
    return people, ids


STAFF_PAGES = [
    ("procurement:calls", []),
    ("procurement:call_items", ["call"]),
    ("procurement:confirmations", []),
    ("procurement:grant", ["grant"]),
    ("procurement:item", ["item"]),
    ("procurement:verification", ["grant"]),
    ("procurement:reduce", ["grant"]),
    ("monitoring:reports", []),
    ("monitoring:report", ["report"]),
    ("monitoring:grant", ["grant"]),
    ("monitoring:samples", []),
    ("monitoring:cases", []),
    ("monitoring:case", ["case"]),
    ("monitoring:plan_vs_actual", ["call"]),
]
OWNER_PAGES = [
    ("procurement:delivery", ["grant"]),
    ("monitoring:report_edit", ["report"]),
]


def statuses(client, people, name, args) -> dict[str, int]:
    """The status code each role gets for this URL."""
    with translation.override("en"):
        path = reverse(name, args=args)
    found = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        response = client.get(path)
        found[role] = response.status_code
        if response.streaming:  # read a download to its end: the test client then closes its file
            b"".join(response.streaming_content)
    return found


def test_staff_pages_answer_403_to_other_roles(client, world):
    people, ids = world
    found = {name: statuses(client, people, name, [ids[key] for key in keys]) for name, keys in STAFF_PAGES}
    assert found == {name: STAFF_PAGE for name, _ in STAFF_PAGES}


def test_the_participants_pages_are_theirs_alone(client, world):
    people, ids = world
    found = {name: statuses(client, people, name, [ids[key] for key in keys]) for name, keys in OWNER_PAGES}
    assert found == {name: OWNER_PAGE for name, _ in OWNER_PAGES}


def test_the_participants_files_go_to_them_and_to_staff(client, world):
    people, ids = world
    files = {
        "act": ("procurement:act_download", [ids["act"]]),
        "signed act": ("procurement:signed_download", [ids["act"]]),
        "evidence": ("procurement:evidence_download", [ids["evidence"]]),
        "report photo": ("monitoring:photo", ["report", ids["report_photo"]]),
    }
    found = {label: statuses(client, people, name, args) for label, (name, args) in files.items()}
    assert found == dict.fromkeys(files, OWNER_FILE)


def test_visit_photos_go_to_staff_only(client, world):
    people, ids = world
    assert statuses(client, people, "monitoring:photo", ["visit", ids["visit_photo"]]) == STAFF_FILE


def test_an_id_that_does_not_exist_is_404_for_the_owner_too(client, world):
    people, ids = world
    client.force_login(people["owner"])
    assert client.get(reverse("procurement:delivery", args=[ids["grant"] + 1000])).status_code == 404


def test_another_applicant_cannot_upload_evidence_and_nothing_is_stored(client, world):
    people, ids = world
    client.force_login(people["other_applicant"])
    proof = ContributionEvidence.objects.get(pk=ids["evidence"]).proof

    response = client.post(reverse("procurement:evidence_upload", args=[proof.pk]), {f"e{proof.pk}-file": pdf_upload()})

    assert (response.status_code, proof.evidence.count()) == (404, 1)


def test_a_post_by_the_wrong_role_is_refused_and_changes_nothing(client, world):
    people, ids = world
    posts = [
        ("procurement:act_issue", ids["grant"], "approver"),
        ("procurement:item_order", ids["item"], "approver"),
        ("procurement:item_overrun", ids["item"], "officer"),
        ("monitoring:report_review", ids["report"], "approver"),
        ("monitoring:visit_create", ids["grant"], "donor"),
    ]
    found = {}
    for name, pk, role in posts:
        client.force_login(people[role])
        found[name] = client.post(reverse(name, args=[pk])).status_code
    assert found == {name: 403 for name, _, _ in posts}
    assert FieldVisit.objects.count() == 1
