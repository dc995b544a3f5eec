import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from applications.enums import ApplicationStatus, Region
from applications.models import AccessLogEntry, Application
from plans.enums import PlanSection, SessionMode, VersionStatus
from plans.models import ConsultantAssignment, ConsultationSession, PlanComment
from tests.conftest import messages_of, url
from tests.factories import (
    ApplicationFactory,
    BusinessPlanFactory,
    CallFactory,
    ConsultantAssignmentFactory,
    ConsultationSessionFactory,
    EquipmentLineFactory,
    PlanVersionFactory,
    UserFactory,
    shortlisted_application,
    submitted_application,
)

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def consultant(first_name="Олена", last_name="Коваль"):
    return UserFactory(role=Role.CONSULTANT, first_name=first_name, last_name=last_name)


def assigned(consultant_user=None, status=S.SHORTLISTED, **kwargs) -> Application:
    """A shortlisted application (or one gone on to `status`) with its consultant."""
    application = submitted_application(status=status, **kwargs)
    ConsultantAssignmentFactory(application=application, consultant=consultant_user or consultant())
    return application


def select_options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]


def date_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


SESSION = {
    "held_on": "",
    "mode": SessionMode.PHONE,
    "duration_minutes": "45",
    "topics": "Ціни на обладнання",
    "notes": "Порівняли три пропозиції.",
    "next_steps": "Отримати рахунок-фактуру.",
}


def session_data(**changes) -> dict:
    return {**SESSION, "held_on": timezone.localdate().isoformat(), **changes}


class TestAccess:
    @pytest.mark.parametrize(
        ("method", "name", "needs"),
        [
            ("get", "consultations:home", None),
            ("get", "consultations:application", "application"),
            ("post", "consultations:session_log", "application"),
            ("post", "consultations:comment_add", "application"),
            ("get", "consultations:assign", "call"),
            ("post", "consultations:assign", "call"),
        ],
    )
    def test_pages_send_anonymous_visitors_to_sign_in(self, client, method, name, needs):
        application = assigned()
        args = {None: (), "application": (application.pk,), "call": (application.call_id,)}[needs]

        response = getattr(client, method)(url(name, *args))

        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/?next=")

    @pytest.mark.parametrize("who", ["own applicant", "another consultant", "reviewer", "officer", "approver"])
    def test_consultant_pages_are_not_found_for_anyone_but_the_assigned_consultant(self, client, who):
        application = assigned()
        PlanVersionFactory(plan__application=application)
        visitor = {
            "own applicant": lambda: application.applicant,
            "another consultant": lambda: consultant("Інша", "Консультантка"),
            "reviewer": lambda: UserFactory(role=Role.REVIEWER),
            "officer": lambda: UserFactory(role=Role.PROGRAMME_OFFICER),
            "approver": lambda: UserFactory(role=Role.APPROVER),
        }[who]()
        client.force_login(visitor)

        statuses = [
            client.get(url("consultations:application", application.pk)).status_code,
            client.post(url("consultations:session_log", application.pk), session_data()).status_code,
            client.post(url("consultations:comment_add", application.pk), {"body": "Так"}).status_code,
        ]

        assert statuses == [404, 404, 404]
        assert (ConsultationSession.objects.count(), PlanComment.objects.count()) == (0, 0)
        assert AccessLogEntry.objects.count() == 0

    def test_consultant_page_of_a_missing_application_is_not_found_like_someone_elses(self, client):
        mine = assigned()
        client.force_login(mine.consultant_assignment.consultant)
        missing = Application.objects.order_by("pk").last().pk + 1000

        assert client.get(url("consultations:application", missing)).status_code == 404

    def test_consultant_who_lost_the_role_no_longer_sees_the_applicant(self, client):
        application = assigned()
        former = application.consultant_assignment.consultant
        former.groups.clear()
        client.force_login(former)

        assert client.get(url("consultations:application", application.pk)).status_code == 404

    @pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.PROGRAMME_OFFICER, Role.DONOR_AUDITOR])
    def test_consultant_home_is_forbidden_to_other_roles(self, client, role):
        client.force_login(UserFactory(role=role))

        assert client.get(url("consultations:home")).status_code == 403

    @pytest.mark.parametrize("role", [Role.APPLICANT, Role.CONSULTANT, Role.REVIEWER, Role.APPROVER])
    def test_assignment_page_is_forbidden_to_everyone_but_officers(self, client, role):
        application = shortlisted_application()
        target = consultant()
        client.force_login(UserFactory(role=role))

        statuses = [
            client.get(url("consultations:assign", application.call_id)).status_code,
            client.post(
                url("consultations:assign", application.call_id),
                {"applications": [application.pk], "consultant": target.pk},
            ).status_code,
        ]

        assert statuses == [403, 403]
        assert ConsultantAssignment.objects.count() == 0


class TestAssignment:
    def test_assignment_page_lists_the_calls_consulting_applications_with_their_consultant(self, client):
        call = CallFactory()
        helper = consultant()
        kyiv = assigned(helper, call=call, region=Region.KYIV_CITY, applicant__last_name="Бойко")
        lviv_b = shortlisted_application(call=call, region=Region.LVIV, applicant__last_name="Шевчук")
        lviv_a = submitted_application(
            call=call, region=Region.LVIV, applicant__last_name="Андрієнко", status=S.PLAN_SUBMITTED
        )
        submitted_application(call=call)
        shortlisted_application()
        client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

        response = client.get(url("consultations:assign", call.pk))

        assert response.status_code == 200
        assert [(application.pk, checked) for application, checked in response.context["rows"]] == [
            (kyiv.pk, False),
            (lviv_a.pk, False),
            (lviv_b.pk, False),
        ]
        assert re.findall(r'data-testid="current-consultant">([^<]*)<', response.text) == ["Олена Коваль", "", ""]

    def test_consultant_select_shows_each_consultants_current_load(self, client):
        busy, single = consultant("Андрій", "Адамчук"), consultant("Віра", "Вовк")
        consultant("Богдан", "Бондар")
        call = CallFactory()
        assigned(busy, call=call)
        assigned(busy, status=S.PLAN_SUBMITTED)
        assigned(busy, status=S.WITHDRAWN)
        assigned(single)
        UserFactory(role=Role.CONSULTANT, first_name="Галина", last_name="Гнатюк", is_active=False)
        UserFactory(role=Role.REVIEWER)
        client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

        response = client.get(url("consultations:assign", call.pk))

        assert select_options(response.text, "consultant") == [
            "Choose a consultant",
            "Андрій Адамчук (2 applicants)",
            "Богдан Бондар (0 applicants)",
            "Віра Вовк (1 applicant)",
        ]

    def test_officer_assigns_the_selected_applications_to_a_consultant(self, client):
        call = CallFactory()
        first, second = shortlisted_application(call=call), shortlisted_application(call=call)
        untouched = shortlisted_application(call=call)
        helper = consultant()
        officer = UserFactory(role=Role.PROGRAMME_OFFICER)
        client.force_login(officer)

        response = client.post(
            url("consultations:assign", call.pk),
            {"applications": [first.pk, second.pk], "consultant": helper.pk},
            follow=True,
        )

        assert response.redirect_chain == [(url("consultations:assign", call.pk), 302)]
        assert messages_of(response) == ["2 applications assigned to Олена Коваль."]
        assert list(
            ConsultantAssignment.objects.order_by("application_id").values_list(
                "application_id", "consultant_id", "assigned_by_id"
            )
        ) == [(first.pk, helper.pk, officer.pk), (second.pk, helper.pk, officer.pk)]
        assert [checked for _, checked in response.context["rows"]] == [False, False, False]
        assert untouched.pk not in ConsultantAssignment.objects.values_list("application_id", flat=True)

    def test_reassignment_moves_the_application_and_its_load_to_the_new_consultant(self, client):
        before, after = consultant("Андрій", "Адамчук"), consultant("Богдан", "Бондар")
        application = assigned(before)
        client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

        response = client.post(
            url("consultations:assign", application.call_id),
            {"applications": [application.pk], "consultant": after.pk},
            follow=True,
        )

        assert messages_of(response) == ["1 application assigned to Богдан Бондар."]
        assert list(ConsultantAssignment.objects.values_list("application_id", "consultant_id")) == [
            (application.pk, after.pk)
        ]
        assert select_options(response.text, "consultant") == [
            "Choose a consultant",
            "Андрій Адамчук (0 applicants)",
            "Богдан Бондар (1 applicant)",
        ]

    def test_non_consultant_target_is_refused_with_a_message_and_the_selection_kept(self, client):
        call = CallFactory()
        application = shortlisted_application(call=call)
        reviewer = UserFactory(role=Role.REVIEWER)
        client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

        response = client.post(
            url("consultations:assign", call.pk), {"applications": [application.pk], "consultant": reviewer.pk}
        )

        assert response.status_code == 200
        assert messages_of(response) == ["That person is not a consultant. Choose one of the consultants in the list."]
        assert [(row.pk, checked) for row, checked in response.context["rows"]] == [(application.pk, True)]
        assert ConsultantAssignment.objects.count() == 0

    def test_assigning_without_a_selection_or_a_consultant_says_what_is_missing(self, client):
        call = CallFactory()
        shortlisted_application(call=call)
        client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

        response = client.post(url("consultations:assign", call.pk), {})

        assert messages_of(response) == ["Select at least one application.", "Choose the consultant to assign."]
        assert ConsultantAssignment.objects.count() == 0

    @pytest.mark.parametrize("where", ["another call", "not shortlisted"])
    def test_application_outside_the_list_cannot_be_assigned(self, client, where):
        call = CallFactory()
        outside = shortlisted_application() if where == "another call" else submitted_application(call=call)
        client.force_login(UserFactory(role=Role.PROGRAMME_OFFICER))

        response = client.post(
            url("consultations:assign", call.pk), {"applications": [outside.pk], "consultant": consultant().pk}
        )

        assert messages_of(response) == [
            "Only shortlisted applications of this call can get a consultant; reload the page and try again."
        ]
        assert ConsultantAssignment.objects.count() == 0

    def test_screening_queue_links_officers_but_not_approvers_to_the_assignment_page(self, client):
        call = CallFactory()
        link = f'href="{url("consultations:assign", call.pk)}"'
        seen = []
        for role in (Role.PROGRAMME_OFFICER, Role.APPROVER):
            client.force_login(UserFactory(role=role))
            seen.append(link in client.get(url("staff:queue", call.pk)).text)

        assert seen == [True, False]


class TestConsultantHome:
    def test_consultant_sees_only_their_applicants_with_plan_status_and_sessions(self, client):
        me, other = consultant(), consultant("Інша", "Консультантка")
        with_plan = assigned(me, applicant__last_name="Бойко")
        plan = BusinessPlanFactory(application=with_plan)
        PlanVersionFactory(plan=plan, number=1, returned=True)
        PlanVersionFactory(plan=plan, number=2)
        ConsultationSessionFactory.create_batch(2, application=with_plan, consultant=me)
        submitted_plan = assigned(me, status=S.PLAN_SUBMITTED, applicant__last_name="Андрієнко")
        PlanVersionFactory(plan__application=submitted_plan, number=1, submitted=True)
        ConsultationSessionFactory(application=submitted_plan, consultant=me)
        no_plan = assigned(me, applicant__last_name="Шевчук")
        assigned(other)
        client.force_login(me)

        response = client.get(url("consultations:home"))

        assert [(a.pk, a.plan_status, a.n_sessions) for a in response.context["applications"]] == [
            (submitted_plan.pk, VersionStatus.SUBMITTED, 1),
            (with_plan.pk, VersionStatus.DRAFT, 2),
            (no_plan.pk, None, 0),
        ]
        assert re.findall(r'data-testid="plan-status">([^<]*)<', response.text) == ["Submitted", "Draft", "not started"]
        assert re.findall(r'data-testid="sessions">([^<]*)<', response.text) == ["1", "2", "0"]

    def test_consultant_without_applicants_is_told_so(self, client):
        client.force_login(consultant())

        response = client.get(url("consultations:home"))

        assert list(response.context["applications"]) == []
        assert "No applicants are assigned to you yet." in response.text

    def test_dashboard_takes_consultants_to_their_applicants(self, client):
        client.force_login(consultant())

        response = client.get(url("dashboard"))

        assert (response.status_code, response["Location"]) == (302, url("consultations:home"))


class TestConsultantApplicationPage:
    def test_assigned_consultant_sees_the_applicant_sessions_and_latest_plan(self, client):
        application = assigned(phone="+48 600 100 200", idea_title="Сироварня")
        me = application.consultant_assignment.consultant
        plan = BusinessPlanFactory(application=application)
        PlanVersionFactory(plan=plan, number=1, returned=True)
        latest = PlanVersionFactory(plan=plan, number=2, complete=True)
        EquipmentLineFactory(version=latest, item="Прес для сиру")
        older = ConsultationSessionFactory(application=application, consultant=me, held_on=date_ago(7))
        newer = ConsultationSessionFactory(application=application, consultant=me, held_on=date_ago(1))
        client.force_login(me)

        response = client.get(url("consultations:application", application.pk))

        assert response.status_code == 200
        assert [session.pk for session in response.context["sessions"]] == [newer.pk, older.pk]
        assert response.context["latest"] == latest
        assert [line.item for line in response.context["latest"].equipment_lines.all()] == [
            "Сироварня на 200 л",
            "Прес для сиру",
        ]
        assert [str(label) for label, _ in response.context["sections"]] == [str(label) for label in PlanSection.labels]
        assert [
            'href="tel:+48600100200"' in response.text,
            f'href="mailto:{application.applicant.email}"' in response.text,
            "Сироварня" in response.text,
        ] == [True, True, True]
        assert list(AccessLogEntry.objects.values_list("user_id", "application_id", "action")) == [
            (me.pk, application.pk, "consult")
        ]

    def test_page_says_no_plan_started_yet_and_offers_no_comment_form(self, client):
        application = assigned()
        client.force_login(application.consultant_assignment.consultant)

        response = client.get(url("consultations:application", application.pk))

        assert (response.context["latest"], response.context["comment_form"]) == (None, None)
        assert 'data-testid="no-plan">No plan started yet.<' in response.text


class TestSessionLogging:
    def test_consultant_logs_a_session(self, client):
        application = assigned()
        me = application.consultant_assignment.consultant
        client.force_login(me)

        response = client.post(
            url("consultations:session_log", application.pk), session_data(held_on=date_ago(2).isoformat()), follow=True
        )

        assert response.redirect_chain == [(url("consultations:application", application.pk), 302)]
        assert messages_of(response) == ["The session is logged."]
        assert list(
            ConsultationSession.objects.values_list(
                "application_id",
                "consultant_id",
                "held_on",
                "mode",
                "duration_minutes",
                "topics",
                "notes",
                "next_steps",
            )
        ) == [
            (
                application.pk,
                me.pk,
                date_ago(2),
                SessionMode.PHONE,
                45,
                "Ціни на обладнання",
                "Порівняли три пропозиції.",
                "Отримати рахунок-фактуру.",
            )
        ]

    def test_session_in_the_future_is_refused_and_what_was_typed_is_kept(self, client):
        application = assigned()
        client.force_login(application.consultant_assignment.consultant)
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

        response = client.post(url("consultations:session_log", application.pk), session_data(held_on=tomorrow))

        assert response.status_code == 200
        assert messages_of(response) == ["The session is not saved yet: please correct the highlighted fields."]
        assert response.context["session_form"].errors == {
            "held_on": ["A session cannot be logged ahead: the date cannot be in the future."]
        }
        assert [
            f'value="{tomorrow}"' in response.text,
            'value="Ціни на обладнання"' in response.text,
            "Порівняли три пропозиції.</textarea>" in response.text,
            "Отримати рахунок-фактуру.</textarea>" in response.text,
        ] == [True, True, True, True]
        assert ConsultationSession.objects.count() == 0

    @pytest.mark.parametrize(
        ("minutes", "error"),
        [
            ("4", "Ensure this value is greater than or equal to 5."),
            ("481", "Ensure this value is less than or equal to 480."),
        ],
    )
    def test_session_duration_outside_5_to_480_minutes_is_refused(self, client, minutes, error):
        application = assigned()
        client.force_login(application.consultant_assignment.consultant)

        response = client.post(url("consultations:session_log", application.pk), session_data(duration_minutes=minutes))

        assert response.context["session_form"].errors == {"duration_minutes": [error]}
        assert ConsultationSession.objects.count() == 0

    def test_session_without_topics_or_mode_is_refused(self, client):
        application = assigned()
        client.force_login(application.consultant_assignment.consultant)

        response = client.post(url("consultations:session_log", application.pk), session_data(topics="", mode=""))

        assert response.context["session_form"].errors == {
            "mode": ["This field is required."],
            "topics": ["This field is required."],
        }
        assert ConsultationSession.objects.count() == 0


class TestComments:
    def test_comment_form_is_visible_to_the_applicant_by_default(self, client):
        application = assigned()
        PlanVersionFactory(plan__application=application)
        client.force_login(application.consultant_assignment.consultant)

        response = client.get(url("consultations:application", application.pk))

        assert response.context["comment_form"]["to_applicant"].value() is True
        assert re.findall(r'<input type="checkbox" name="to_applicant"[^>]*>', response.text) == [
            '<input type="checkbox" name="to_applicant" class="checkboxinput form-check-input" id="id_to_applicant" '
            "checked>"
        ]

    def test_consultant_comments_on_the_latest_version(self, client):
        application = assigned()
        me = application.consultant_assignment.consultant
        plan = BusinessPlanFactory(application=application)
        PlanVersionFactory(plan=plan, number=1, returned=True)
        latest = PlanVersionFactory(plan=plan, number=2)
        client.force_login(me)

        response = client.post(
            url("consultations:comment_add", application.pk),
            {"section": PlanSection.RISKS, "body": "Додайте план на випадок посухи.", "to_applicant": "on"},
            follow=True,
        )

        assert messages_of(response) == ["Your comment on version 2 is saved."]
        assert list(PlanComment.objects.values_list("version_id", "author_id", "section", "body", "to_applicant")) == [
            (latest.pk, me.pk, PlanSection.RISKS, "Додайте план на випадок посухи.", True)
        ]

    def test_unticked_box_keeps_the_comment_among_staff(self, client):
        application = assigned()
        PlanVersionFactory(plan__application=application)
        client.force_login(application.consultant_assignment.consultant)

        client.post(url("consultations:comment_add", application.pk), {"section": "", "body": "Лише для нас."})

        assert list(PlanComment.objects.values_list("section", "body", "to_applicant")) == [
            ("", "Лише для нас.", False)
        ]

    def test_empty_comment_is_refused_and_the_choices_kept(self, client):
        application = assigned()
        PlanVersionFactory(plan__application=application)
        client.force_login(application.consultant_assignment.consultant)

        response = client.post(
            url("consultations:comment_add", application.pk), {"section": PlanSection.MARKET, "body": "   "}
        )

        assert response.status_code == 200
        assert messages_of(response) == ["The comment is not saved yet: please correct the highlighted fields."]
        assert response.context["comment_form"].errors == {"body": ["Write the comment."]}
        assert (response.context["comment_form"]["section"].value(), PlanComment.objects.count()) == (
            PlanSection.MARKET,
            0,
        )

    def test_comment_without_a_plan_is_refused_with_a_message(self, client):
        application = assigned()
        client.force_login(application.consultant_assignment.consultant)

        response = client.post(url("consultations:comment_add", application.pk), {"body": "Так"}, follow=True)

        assert messages_of(response) == [
            "The applicant has not started a business plan yet; there is nothing to comment on."
        ]
        assert PlanComment.objects.count() == 0


class TestApplicantSeesConsultations:
    def test_applicant_sees_consultant_sessions_and_comments_addressed_to_them_newest_first(self, client):
        application = assigned()
        me = application.consultant_assignment.consultant
        plan = BusinessPlanFactory(application=application)
        first = PlanVersionFactory(plan=plan, number=1, status=VersionStatus.RETURNED)
        second = PlanVersionFactory(plan=plan, number=2)
        now = timezone.now()
        PlanComment.objects.create(
            version=first, author=me, body="Старіший коментар.", created_at=now - timedelta(days=2)
        )
        PlanComment.objects.create(version=second, author=me, body="Лише для персоналу.", to_applicant=False)
        PlanComment.objects.create(
            version=second, author=me, body="Новіший коментар.", section=PlanSection.RISKS, created_at=now
        )
        session = ConsultationSessionFactory(
            application=application, consultant=me, notes="Нотатки сесії.", next_steps="Зібрати пропозиції."
        )
        client.force_login(application.applicant)

        response = client.get(url("applications:application_detail", application.pk))

        consultations = response.context["consultations"]
        assert (consultations.consultant, [s.pk for s in consultations.sessions]) == (me, [session.pk])
        assert [comment.body for comment in consultations.comments] == ["Новіший коментар.", "Старіший коментар."]
        assert re.findall(r'data-testid="consultant">([^<]*)<', response.text) == ["Олена Коваль"]
        assert [
            "Нотатки сесії." in response.text,
            "Зібрати пропозиції." in response.text,
            "Лише для персоналу." in response.text,
        ] == [True, True, False]

    def test_shortlisted_applicant_without_a_consultant_is_told_one_is_coming(self, client):
        application = shortlisted_application()
        client.force_login(application.applicant)

        response = client.get(url("applications:application_detail", application.pk))

        assert response.context["consultations"].is_empty is True
        assert "A consultant will be assigned to you soon and will contact you." in response.text

    def test_draft_shows_no_consultations_section(self, client):
        application = ApplicationFactory()
        client.force_login(application.applicant)

        response = client.get(url("applications:application_detail", application.pk))

        assert 'data-testid="consultations"' not in response.text
