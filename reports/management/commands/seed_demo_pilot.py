"""Seed the demo's pilot call (2021, closed): 80 applications from every part of Ukraine taken along the
whole journey, so the reports, the map and the exports have figures worth looking at, with enough
participants per oblast that the donor sees some counts and others hidden as "<5".

Run after seed_demo (`make demo` does). Applications, plans, rankings and grants go through the services;
the post-award rows (procurement items handed over, the verified match, monitoring reports) are written
as the procurement and monitoring services leave them. Safe to run again: an existing pilot call is kept.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.roles import Role
from applications import services
from applications.enums import ApplicationStatus, Gender, Region, RejectionReason, Sector, Track
from applications.models import Application, Call, ConsentNotice, PriorityGroup, Programme
from applications.services import priority_index_write
from applications.staff import services as screening
from grants.decisions.services import grant_approve, grant_decline
from grants.enums import DeclineReason
from grants.models import Grant
from monitoring.enums import AgeBand, ReportStatus, RevenueBand
from monitoring.models import JobsCreated, MonitoringReport
from plans import services as plan_services
from plans.models import ContributionLine, EquipmentLine
from procurement.enums import ItemStatus
from procurement.models import ContributionMatch, ProcurementItem

S = ApplicationStatus
PREFIX = "1P1P"
QUOTE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Where the pilot's applicants live: most in the west, where labour migration is highest.
REGIONS = [Region.LVIV] * 14 + [Region.TERNOPIL] * 10 + [Region.IVANO_FRANKIVSK] * 9 + [Region.ZAKARPATTIA] * 8
REGIONS += [Region.CHERNIVTSI] * 6 + [Region.VOLYN] * 6 + [Region.RIVNE] * 5 + [Region.VINNYTSIA] * 5
REGIONS += [Region.KHMELNYTSKYI] * 5 + [Region.KYIV_CITY] * 4 + [Region.ODESA] * 3 + [Region.POLTAVA] * 2
REGIONS += [Region.KHARKIV, Region.DNIPROPETROVSK, Region.ZHYTOMYR]
SECTORS = (
    [Sector.AGRICULTURE] * 4 + [Sector.SERVICES] * 3 + [Sector.INDUSTRY] * 2 + [Sector.CONSTRUCTION, Sector.EDUCATION]
)
FIRST = ["Олена", "Ірина", "Марія", "Тетяна", "Андрій", "Василь", "Петро", "Микола", "Оксана", "Роман"]
LAST = ["Гнатюк", "Мельник", "Шевчук", "Коваль", "Бойко", "Ткачук", "Кравчук", "Савчук", "Лисенко", "Поліщук"]


class Command(BaseCommand):
    help = "Seed the demo's pilot call (2021) with applications at every stage, for the reports."

    def handle(self, *args, **options):
        if Call.objects.filter(reference_prefix=PREFIX).exists():
            self.stdout.write("The pilot call is already there; keeping it.")
            return
        User = get_user_model()
        officer = User.objects.filter(groups__name=Role.PROGRAMME_OFFICER, is_superuser=False).order_by("pk").first()
        approver = User.objects.filter(groups__name=Role.APPROVER).order_by("pk").first()
        if not (officer and approver):
            self.stderr.write("Run seed_demo first: the pilot needs its programme officer and approver.")
            return
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            self._seed(officer, approver)
        self.stdout.write("Seeded the pilot call 2021 for the reports.")

    def _seed(self, officer, approver):
        now = timezone.now()
        chance = random.Random(2021)  # noqa: S311 - demo data, the same every time
        call = Call.objects.create(
            programme=Programme.objects.order_by("pk").first(),
            title_uk="Пілотний конкурс 1+1, 2021",
            title_en="1+1 pilot call, 2021",
            cycle_year=2021,
            track=Track.INDIVIDUAL,
            reference_prefix=PREFIX,
            cap=Decimal("4000"),
            budget_envelope=Decimal("150000"),
            opens_at=now - timedelta(days=900),
            closes_at=now - timedelta(days=860),
        )
        groups = list(PriorityGroup.objects.order_by("position"))
        notices = list(ConsentNotice.objects.all())
        applicant_role = Group.objects.get(name=Role.APPLICANT)
        for number, region in enumerate(REGIONS, start=1):
            application = self._application(call, number, region, chance, groups, notices, applicant_role, now)
            self._journey(application, number, chance, officer, approver)

    def _application(self, call, number, region, chance, groups, notices, role, now):
        user = get_user_model().objects.create(
            email=f"pilot{number:03d}@example.org", first_name=FIRST[number % 10], last_name=LAST[number * 7 % 10]
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(role)
        application = Application.objects.create(
            call=call,
            applicant=user,
            first_name=user.first_name,
            last_name=user.last_name,
            date_of_birth=date(1960 + chance.randrange(40), 1 + chance.randrange(12), 1 + chance.randrange(28)),
            gender=Gender.FEMALE if chance.random() < 0.48 else Gender.MALE,
            phone=f"+380 67 {number:03d} 20 21",
            region=region,
            hromada="Центральна громада",
            sector=chance.choice(SECTORS),
            idea_title="Сімейна справа",
            own_contribution_amount=Decimal(1500 + 100 * chance.randrange(30)),
            countries_abroad=["PL"],
        )
        application.priority_answers = sorted(group.code for group in chance.sample(groups, chance.randrange(3)))
        application.save(update_fields=["priority_answers"])
        priority_index_write(application)
        for notice in notices:
            application.consents.create(user=user, notice=notice, language="uk")
        call.last_reference_number = number
        call.save(update_fields=["last_reference_number"])
        Application.objects.filter(pk=application.pk).update(
            reference=f"{PREFIX}-2021-{number:04d}", submitted_at=now - timedelta(days=870 + chance.randrange(10))
        )
        application.refresh_from_db()
        services.application_move(application, S.SUBMITTED, actor=user)
        return application

    def _journey(self, application, number, chance, officer, approver):
        """Per ten applications: 2 stop at screening (rejected or withdrawn), 1 stays shortlisted, 1 is
        declined, 1 waitlisted, 5 approved; of the approved, most are delivered and some closed."""
        step = number % 10
        if step == 0:
            screening.application_reject(application=application, actor=officer, reason=RejectionReason.CONTRIBUTION)
            return
        if step == 1:
            services.application_withdraw(application=application, actor=application.applicant)
            return
        screening.application_shortlist(application=application, actor=officer)
        application.refresh_from_db()
        if step == 2:
            return
        grant = Decimal(1500 + 250 * chance.randrange(10))
        self._plan(application, grant, own=grant + Decimal(100 * chance.randrange(15)), chance=chance)
        for status in (S.INVITED_TO_DEFENSE, S.DEFENDED):
            services.application_move(application, status, actor=officer)
        if step == 3:
            services.application_move(application, S.WAITLISTED, actor=officer)
            grant_decline(application=application, actor=approver, reason=DeclineReason.SCORE)
            return
        if step == 4:
            services.application_move(application, S.WAITLISTED, actor=officer)
            return
        services.application_move(application, S.RECOMMENDED, actor=officer)
        record = grant_approve(application=application, actor=approver)
        # The pilot's grants were approved three months after the call closed, as the demo's dates tell.
        Grant.objects.filter(pk=record.pk).update(approved_at=application.call.closes_at + timedelta(days=90))
        record.refresh_from_db()
        services.application_move(application, S.AWARDED, actor=approver)
        if step == 9:
            return
        self._deliver(record, chance)
        services.application_move(application, S.EQUIPMENT_DELIVERED, actor=officer)
        self._report(record, 6, chance)
        if step in (5, 6):
            self._report(record, 12, chance)
            services.application_move(application, S.CLOSED, actor=officer)

    def _plan(self, application, grant, *, own, chance):
        user = application.applicant
        version = plan_services.plan_draft(application=application, actor=user)
        jobs = 1 + chance.randrange(4)
        plan_services.plan_update(
            version=version,
            actor=user,
            fields={
                "summary": "Сімейний бізнес для громади.",
                "market": "Покупці в громаді та сусідніх селах.",
                "experience": "Кілька років роботи за кордоном у цій галузі.",
                "operations": "Власне приміщення; постачальники з області.",
                "risks": "Сезонність: запас обігових коштів на три місяці.",
                "sustainability": "Прибуток покриває витрати з п'ятого місяця.",
                "jobs_total": jobs,
                "jobs_women": chance.randrange(jobs + 1),
                "jobs_youth": chance.randrange(jobs + 1),
                "projection": [{"revenue": "60000.00", "costs": "45000.00"} for _ in range(12)],
            },
        )
        line = EquipmentLine(
            version=version, item="Основне обладнання", supplier="ТОВ «Техносвіт»", unit_price=grant, currency="USD"
        )
        line.quote_type = "application/pdf"
        line.quote.save("quote.pdf", ContentFile(QUOTE), save=False)
        line.save()
        ContributionLine.objects.create(version=version, description="Заощадження", amount=own, currency="USD")
        plan_services.plan_submit(version=version, actor=user)
        application.refresh_from_db()

    def _deliver(self, grant, chance):
        actual = grant.grant_usd - Decimal(10 * chance.randrange(10))
        handed = timezone.localtime(grant.approved_at).date() + timedelta(days=45 + chance.randrange(60))
        ProcurementItem.objects.create(
            grant=grant,
            line_number=1,
            item="Основне обладнання",
            quantity=1,
            approved_usd=grant.grant_usd,
            status=ItemStatus.HANDED_OVER,
            supplier="ТОВ «Техносвіт»",
            purchase_order_number=f"PO-2021-{grant.sequence:04d}",
            ordered_on=handed - timedelta(days=30),
            delivered_on=handed - timedelta(days=5),
            handed_over_on=handed,
            serial_numbers=[f"TS-{grant.sequence:05d}"],
            actual_amount=actual,
            actual_currency="USD",
            actual_usd_per_unit=Decimal("1"),
            actual_rate_date=handed - timedelta(days=30),
            actual_usd=actual,
            variance_usd=actual - grant.grant_usd,
        )
        ContributionMatch.objects.create(
            grant=grant,
            cash_verified_usd=grant.own_cash_usd,
            counted_usd=grant.own_cash_usd,
            equipment_usd=actual,
            match_ratio=grant.match_ratio,
            cap_usd=grant.cap_usd,
            grant_usd=actual,
            shortfall_usd=Decimal("0.00"),
            lines_total=1,
            lines_verified=1,
        )

    def _report(self, grant, months, chance):
        report = MonitoringReport.objects.create(
            grant=grant,
            months_after=months,
            due_on=grant.procurement_items.get().handed_over_on + timedelta(days=30 * months),
            status=ReportStatus.ACCEPTED,
            business_operating=True,
            equipment_in_use=True,
            revenue_band=RevenueBand.UNDER_100K if months == 6 else RevenueBand.FROM_100K,
            submitted_at=timezone.now(),
        )
        for gender in (Gender.FEMALE, Gender.MALE):
            band = chance.choice(AgeBand.values)
            count = chance.randrange(3) + (months == 12)
            if count:
                JobsCreated.objects.create(report=report, gender=gender, age_band=band, count=count)
