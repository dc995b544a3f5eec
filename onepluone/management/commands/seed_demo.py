"""Seed a demo programme: an open individual call, a closed community call, a closed 2025 call at the
decision stage, applications in several states and one user per role. Safe to run again: existing demo
data are kept."""

from datetime import date, time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.demo import demo_staff_enrol
from accounts.roles import Role
from applications import services
from applications.enums import (
    ApplicationStatus,
    Country,
    Currency,
    Gender,
    Region,
    RejectionReason,
    Sector,
    Track,
)
from applications.models import Application, Call, PriorityGroup, Programme
from applications.selectors import consent_notices_current
from applications.staff import services as screening
from common.uploads import demo_pdf
from grants.decisions.services import grant_approve
from grants.enums import LetterKind
from grants.letters.services import letter_issue
from monitoring.demo import LOGINS as AFTER_AWARD_LOGINS
from monitoring.demo import seed_after_award
from plans import services as plan_services
from plans.consultations import services as consultation_services
from plans.enums import SessionMode
from plans.models import ContributionLine, EquipmentLine
from rates.services import rate_save
from reviews.models import DefenseSession, DefenseSlot, PanelMember, Rubric
from reviews.ranking.services import ranking_confirm
from reviews.rubrics.services import rubric_settings_save
from reviews.scoring.services import conflict_declare, score_save, score_submit
from reviews.sessions.services import slot_mark_defended, slot_schedule

DEMO_QUOTE = demo_pdf()
PASSWORD = "demo-1plus1-2026"  # noqa: S105 - printed on purpose: demo data only
STAFF = [
    ("officer@example.org", "Оксана", "Коваль", Role.PROGRAMME_OFFICER, True),
    ("approver@example.org", "Андрій", "Мельник", Role.APPROVER, True),
    ("consultant@example.org", "Ірина", "Бондар", Role.CONSULTANT, False),
    ("reviewer@example.org", "Петро", "Шевчук", Role.REVIEWER, False),
    ("reviewer2@example.org", "Наталія", "Кравець", Role.REVIEWER, False),
    ("reviewer3@example.org", "Богдан", "Лисенко", Role.REVIEWER, False),
    ("donor@example.org", "Donna", "Reed", Role.DONOR_AUDITOR, False),
]
APPLICANTS = [
    # email, first, last, region, sector, idea, final status
    ("applicant@example.org", "Марія", "Іваненко", None, None, None, None),
    (
        "taras@example.org",
        "Тарас",
        "Гнатюк",
        Region.LVIV,
        Sector.AGRICULTURE,
        "Сімейна сироварня",
        ApplicationStatus.SUBMITTED,
    ),
    (
        "olena@example.org",
        "Олена",
        "Савчук",
        Region.TERNOPIL,
        Sector.SERVICES,
        "Шиномонтаж і СТО",
        ApplicationStatus.SUBMITTED,
    ),
    (
        "ivan@example.org",
        "Іван",
        "Petrenko",
        Region.ZAKARPATTIA,
        Sector.INDUSTRY,
        "Столярна майстерня",
        ApplicationStatus.SHORTLISTED,
    ),
    (
        "oksana@example.org",
        "Оксана",
        "Бойко",
        Region.LVIV,
        Sector.SERVICES,
        "Пекарня на заквасці",
        ApplicationStatus.PLAN_SUBMITTED,
    ),
    (
        "nadia@example.org",
        "Надія",
        "Кравець",
        Region.VINNYTSIA,
        Sector.CONSTRUCTION,
        "Бригада оздоблювальних робіт",
        ApplicationStatus.REJECTED,
    ),
    (
        "yurii@example.org",
        "Юрій",
        "Левченко",
        Region.CHERNIVTSI,
        Sector.EDUCATION,
        "Курси зварювання",
        ApplicationStatus.WITHDRAWN,
    ),
    (
        "sofia@example.org",
        "Софія",
        "Мороз",
        Region.POLTAVA,
        Sector.AGRICULTURE,
        "Теплиця для розсади",
        ApplicationStatus.DRAFT,
    ),
]

# The closed 2025 call at the decision stage: email, first, last, oblast, idea, equipment USD, own USD, the
# panel's score (every reviewer, every criterion).
DECIDED = [
    ("halyna@example.org", "Галина", "Олійник", Region.LVIV, "Пекарня на заквасці", "3600", "3500", "9"),
    (
        "bohdan@example.org",
        "Богдан",
        "Ткаченко",
        Region.ODESA,
        "Майстерня ремонту човнів",
        "4200",
        "4000",
        "8",
    ),
    ("stepan@example.org", "Степан", "Кравчук", Region.POLTAVA, "Міні-пивоварня", "3900", "3800", "7"),
    ("lesia@example.org", "Леся", "Шевчук", Region.RIVNE, "Швейна майстерня", "2600", "2500", "6"),
]


class Command(BaseCommand):
    help = "Seed demo data and print the demo logins."

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(email="officer@example.org").exists():
            self.stdout.write("Demo data already present; keeping them.")
        else:
            # The demo applicants' confirmation emails would only clutter the console.
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
                transaction.atomic(),
            ):
                self._seed()
        self._print_logins()
        demo_staff_enrol(self.stdout)

    def _user(self, email, first, last, role, is_staff=False):
        user = get_user_model().objects.create_user(
            email=email, password=PASSWORD, first_name=first, last_name=last, is_staff=is_staff
        )
        user.groups.add(Group.objects.get(name=role))
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def _seed(self):
        now = timezone.now()
        programme = Programme.objects.create(name_uk="Програма «1+1»", name_en="The 1+1 programme", donor="USAID")
        open_call = Call.objects.create(
            programme=programme,
            title_uk="Індивідуальні гранти 1+1, 2026",
            title_en="1+1 individual grants, 2026",
            description_uk="Обладнання для вашого бізнесу в Україні: кожен ваш долар програма подвоює.",
            description_en="Equipment for your business in Ukraine: the programme matches every dollar you invest.",
            cycle_year=now.year,
            track=Track.INDIVIDUAL,
            reference_prefix="1P1",
            cap=Decimal("4000"),
            min_grant=Decimal("500"),
            budget_envelope=Decimal("200000"),
            opens_at=now - timedelta(days=30),
            closes_at=now + timedelta(days=21),
        )
        open_call.priority_groups.set(PriorityGroup.objects.all())
        Call.objects.create(
            programme=programme,
            title_uk="Громадські проєкти 1+1, 2021",
            title_en="1+1 community projects, 2021",
            cycle_year=2021,
            track=Track.COMMUNITY,
            reference_prefix="1P1C",
            cap=Decimal("20000"),
            budget_envelope=Decimal("300000"),
            in_kind_allowed=True,
            in_kind_max_share=Decimal("0.3"),
            opens_at=now - timedelta(days=400),
            closes_at=now - timedelta(days=300),
        )
        admin = self._user("admin@example.org", "Admin", "Demo", Role.PROGRAMME_OFFICER, is_staff=True)
        admin.is_superuser = True
        admin.save(update_fields=["is_superuser"])
        people = {email: self._user(email, first, last, role, is_staff) for email, first, last, role, is_staff in STAFF}
        staff = {role: people[email] for email, _first, _last, role, _is_staff in reversed(STAFF)}
        reviewers = [people[email] for email, *_rest, role, _is_staff in STAFF if role == Role.REVIEWER]
        officer = staff[Role.PROGRAMME_OFFICER]
        notices = consent_notices_current()
        for number, (email, first, last, region, sector, idea, status) in enumerate(APPLICANTS):
            user = self._user(email, first, last, Role.APPLICANT)
            if status is None:
                continue
            application, _ = services.application_start(call=open_call, applicant=user)
            services.application_update(
                application=application,
                actor=user,
                fields={
                    "date_of_birth": date(1980 + number, 3, 14),
                    "gender": Gender.FEMALE if number % 2 else Gender.MALE,
                    "phone": f"+48 600 100 {200 + number}",
                    "countries_abroad": [Country.PL, Country.CZ][: 1 + number % 2],
                    "years_abroad": Decimal(3 + number),
                    "still_abroad": False,
                    "return_date": date(2025, 9, 1),
                    "migration_experience": "Працював(ла) на виробництві, навчився(лась) організації роботи.",
                    "region": region,
                    "hromada": "Центральна громада",
                    "sector": sector,
                    "idea_title": idea,
                    "idea_description": "Невеликий сімейний бізнес для місцевих покупців.",
                    "own_contribution_amount": Decimal(2000 + 500 * number),
                    "own_contribution_currency": Currency.USD,
                    "priority_groups": PriorityGroup.objects.filter(code="returned_migrant"),
                },
            )
            services.application_equipment_replace(
                application=application,
                actor=user,
                items=[
                    {
                        "name": "Основне обладнання",
                        "quantity": 1,
                        "estimated_unit_price": Decimal("3000"),
                        "currency": Currency.USD,
                    },
                    {
                        "name": "Інструменти",
                        "quantity": 2,
                        "estimated_unit_price": Decimal("12000"),
                        "currency": Currency.UAH,
                    },
                ],
            )
            services.application_consents_set(application=application, actor=user, notices=notices, agreed=notices)
            if status == ApplicationStatus.DRAFT:
                continue
            services.application_submit(application=application, actor=user)
            if status in (ApplicationStatus.SHORTLISTED, ApplicationStatus.PLAN_SUBMITTED):
                screening.application_shortlist(application=application, actor=officer, note="")
            elif status == ApplicationStatus.REJECTED:
                screening.application_reject(
                    application=application,
                    actor=officer,
                    reason=RejectionReason.SECTOR,
                    note="Будівельні послуги цього року не фінансуються.",
                )
            elif status == ApplicationStatus.WITHDRAWN:
                services.application_withdraw(application=application, actor=user, note="Залишаюся за кордоном.")
        self._seed_plans(officer=officer, consultant=staff[Role.CONSULTANT])
        self._seed_defense(call=open_call, officer=officer, reviewers=reviewers)
        self._seed_decisions(programme=programme, officer=officer, approver=staff[Role.APPROVER], reviewers=reviewers)
        seed_after_award(
            programme=programme,
            officer=officer,
            approver=staff[Role.APPROVER],
            user_factory=lambda email, first, last: self._user(email, first, last, Role.APPLICANT),
        )

    def _seed_plans(self, *, officer, consultant):
        """Official rates for the last two weeks, a consultant for the shortlisted applicants, one plan in
        progress (Ivan) and one submitted (Oksana)."""
        today = timezone.localdate()
        for days in range(14):
            for currency, rate in (("USD", "41.30"), ("EUR", "48.10"), ("PLN", "11.25")):
                rate_save(
                    currency=currency, date=today - timedelta(days=days), uah_per_unit=Decimal(rate), actor=officer
                )
        shortlisted = list(Application.objects.filter(status=ApplicationStatus.SHORTLISTED).order_by("pk"))
        consultation_services.consultants_assign(applications=shortlisted, consultant=consultant, actor=officer)
        for application in shortlisted:
            consultation_services.consultation_log(
                application=application,
                consultant=consultant,
                held_on=today - timedelta(days=3),
                mode=SessionMode.VIDEO,
                duration_minutes=60,
                topics="Ринок, постачальники, власний внесок",
                notes="Обговорили конкурентів і ціни.",
                next_steps="Зібрати комерційні пропозиції.",
            )
            version = plan_services.plan_draft(application=application, actor=application.applicant)
            plan_services.plan_update(
                version=version,
                actor=application.applicant,
                fields={
                    "summary": f"{application.idea_title}: невеликий сімейний бізнес для громади.",
                    "market": "Покупці в громаді та сусідніх селах; два конкуренти в районному центрі.",
                },
            )
            if application.applicant.email != "oksana@example.org":
                continue
            plan_services.plan_update(
                version=version,
                actor=application.applicant,
                fields={
                    "experience": "Чотири роки пекарем у Вроцлаві: технологія заквасок і облік.",
                    "operations": "Оренда приміщення в центрі; борошно від місцевого млина.",
                    "risks": "Зростання цін на борошно: річний контракт з млином.",
                    "sustainability": "Прибуток покриває оренду з четвертого місяця.",
                    "jobs_total": 3,
                    "jobs_women": 2,
                    "jobs_youth": 1,
                    "projection": [{"revenue": "90000.00", "costs": "70000.00"} for _ in range(12)],
                },
            )
            quote = EquipmentLine(
                version=version,
                item="Піч хлібопекарська",
                purpose="Випікання хліба",
                supplier="ТОВ «Пекмаш»",
                unit_price=Decimal("120000.00"),
                currency="UAH",
                quote_type="application/pdf",
            )
            quote.quote.save("quote-pekmash.pdf", ContentFile(DEMO_QUOTE), save=False)
            quote.save()
            ContributionLine.objects.create(
                version=version, description="Заощадження з роботи в Польщі", amount=Decimal("2500.00"), currency="USD"
            )
            plan_services.plan_submit(version=version, actor=application.applicant)

    def _seed_defense(self, *, call, officer, reviewers):
        """A defense session running today, so a newcomer can walk from the plan to the award in one sitting:
        it began an hour ago (the chair may record defenses from its start), its panel is the three demo
        reviewers, chaired by the first, and the third has declared a conflict with the submitted plan. The
        call's rubric asks for two independent scores, which the two free reviewers give. Late in the
        evening, when no slot is left today, the session is tomorrow morning instead."""
        rubric = Rubric.objects.get(call=call)
        rubric_settings_save(rubric=rubric, fields={"min_independent_scores": 2}, actor=officer)
        now = timezone.localtime()
        today = now.hour < 21
        begins = (now - timedelta(hours=1)).replace(minute=0, second=0, microsecond=0) if today else None
        session = DefenseSession.objects.create(
            call=call,
            date=now.date() if today else now.date() + timedelta(days=1),
            starts_at=begins.time() if today else time(10),
            ends_at=time(min(begins.hour + 4, 23), 30) if today else time(13),
            venue="Львів, вул. Городоцька, 1",
            online_link="https://meet.example.org/1plus1-demo",
            region=Region.LVIV,
            slot_minutes=30,
            capacity=6,
            chair=reviewers[0],
        )
        for reviewer in reviewers:
            PanelMember.objects.create(session=session, reviewer=reviewer)
        for application in Application.objects.filter(call=call, status=ApplicationStatus.PLAN_SUBMITTED):
            slot_schedule(session=session, application=application, actor=officer)
            conflict_declare(
                application=application,
                reviewer=reviewers[-1],
                conflicted=True,
                reason="Заявниця — моя сусідка; я не оцінюю її план.",
            )

    def _seed_decisions(self, *, programme, officer, approver, reviewers):
        """A closed 2025 call whose ranking is confirmed: its defense session 170 days ago, where the three demo
        reviewers scored the four plans (9, 8, 7 and 6 on every criterion); the officer and the chair confirmed
        the ranking, which recommended three plans and waitlisted the fourth (its grant does not fit what is
        left of the USD 12,000 envelope), for the approver to decide; Halyna's grant approved with its award
        letter. The ranking page shows that confirmed ranking with each application's status now."""
        now = timezone.now()
        call = Call.objects.create(
            programme=programme,
            title_uk="Індивідуальні гранти 1+1, 2025",
            title_en="1+1 individual grants, 2025",
            cycle_year=2025,
            track=Track.INDIVIDUAL,
            reference_prefix="1P1",
            cap=Decimal("4000"),
            budget_envelope=Decimal("12000"),
            opens_at=now - timedelta(days=200),
            closes_at=now - timedelta(days=150),
        )
        defense_day = timezone.localtime(now - timedelta(days=170)).replace(hour=10, minute=0, second=0, microsecond=0)
        session = DefenseSession.objects.create(
            call=call,
            date=defense_day.date(),
            starts_at=time(10),
            ends_at=time(13),
            venue="Стрий, вул. Шевченка, 5",
            region=Region.LVIV,
            slot_minutes=30,
            capacity=6,
            chair=reviewers[0],
        )
        for reviewer in reviewers:
            PanelMember.objects.create(session=session, reviewer=reviewer)
        criteria = list(Rubric.objects.get(call=call).criteria.all())
        for number, (email, first, last, region, idea, price, own, score) in enumerate(DECIDED, start=1):
            user = self._user(email, first, last, Role.APPLICANT)
            application = Application.objects.create(
                call=call,
                applicant=user,
                language="en" if email.startswith("bohdan") else "uk",
                first_name=first,
                last_name=last,
                region=region,
                hromada="Центральна громада",
                settlement="Стрий",
                sector=Sector.SERVICES,
                idea_title=idea,
            )
            call.last_reference_number = number
            call.save(update_fields=["last_reference_number"])
            Application.objects.filter(pk=application.pk).update(
                reference=f"1P1-2025-{number:04d}", submitted_at=now - timedelta(days=160)
            )
            application.refresh_from_db()
            services.application_move(application, ApplicationStatus.SUBMITTED, actor=user)
            screening.application_shortlist(application=application, actor=officer)
            application.refresh_from_db()
            version = plan_services.plan_draft(application=application, actor=user)
            plan_services.plan_update(
                version=version,
                actor=user,
                fields={
                    "summary": f"{idea}: сімейний бізнес для громади.",
                    "market": "Покупці в громаді та сусідніх селах.",
                    "experience": "Кілька років роботи за кордоном у цій галузі.",
                    "operations": "Власне приміщення; постачальники з області.",
                    "risks": "Сезонність: запас обігових коштів на три місяці.",
                    "sustainability": "Прибуток покриває витрати з п'ятого місяця.",
                    "jobs_total": 2,
                    "projection": [{"revenue": "60000.00", "costs": "45000.00"} for _ in range(12)],
                },
            )
            line = EquipmentLine(
                version=version,
                item=idea.split(" ")[0] + ": основне обладнання",
                supplier="ТОВ «Техносвіт»",
                unit_price=Decimal(price),
                currency="USD",
                quote_type="application/pdf",
            )
            line.quote.save("quote.pdf", ContentFile(DEMO_QUOTE), save=False)
            line.save()
            ContributionLine.objects.create(
                version=version, description="Заощадження з роботи за кордоном", amount=Decimal(own), currency="USD"
            )
            plan_services.plan_submit(version=version, actor=user)
            application.refresh_from_db()
            services.application_move(application, ApplicationStatus.INVITED_TO_DEFENSE, actor=officer)
            slot = DefenseSlot.objects.create(
                session=session, application=application, starts_at=defense_day + timedelta(minutes=30 * number)
            )
            for reviewer in reviewers:
                conflict_declare(application=application, reviewer=reviewer, conflicted=False)
                score_save(
                    application=application,
                    reviewer=reviewer,
                    scores={criterion.pk: (Decimal(score), "") for criterion in criteria},
                )
                score_submit(application=application, reviewer=reviewer)
            slot_mark_defended(slot=slot, actor=officer)
        ranking_confirm(call=call, actor=officer)
        ranking_confirm(call=call, actor=reviewers[0])
        halyna = Application.objects.get(call=call, applicant__email="halyna@example.org")
        grant_approve(application=halyna, actor=approver, rank=1)
        letter_issue(application=halyna, kind=LetterKind.AWARD, actor=officer)

    def _print_logins(self):
        rows = [
            ("Applicant (no application yet)", "applicant@example.org"),
            ("Applicant writing a business plan", "ivan@example.org"),
            ("Applicant whose plan is submitted", "oksana@example.org"),
            ("Applicant with an award letter (2025 call)", "halyna@example.org"),
            *AFTER_AWARD_LOGINS,
            ("Programme officer", "officer@example.org"),
            ("Approver", "approver@example.org"),
            ("Consultant", "consultant@example.org"),
            ("Reviewer, chair of today's defense session", "reviewer@example.org"),
            ("Reviewer on the panel", "reviewer2@example.org"),
            ("Reviewer with a declared conflict", "reviewer3@example.org"),
            ("Donor / auditor", "donor@example.org"),
            ("Administrator (Django admin at /uk/admin/)", "admin@example.org"),
        ]
        self.stdout.write(f"\nDemo logins (password for all: {PASSWORD})")
        for role, email in rows:
            self.stdout.write(f"  {role:<45} {email}")
        session = DefenseSession.objects.filter(venue="Львів, вул. Городоцька, 1").order_by("-pk").first()
        if session is not None:
            self.stdout.write(
                f"Defense session: {session.date:%d.%m.%Y} {session.starts_at:%H:%M}–{session.ends_at:%H:%M}"
                " (Kyiv time), three reviewers, one conflicted; two independent scores needed."
            )
        self.stdout.write(
            "Walk: officer schedules → reviewers score → chair marks defended → officer and chair confirm the"
            " ranking → approver approves → officer generates the letter → oksana@example.org downloads it."
        )
        self.stdout.write("Open http://127.0.0.1:8000/ and sign in.\n")
