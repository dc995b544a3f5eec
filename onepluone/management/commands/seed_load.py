"""Seed a national-roll-out data set for the benchmarks: four calls, every oblast, the whole journey.

With `--applications 20000`: four calls of 5,000 applications each (one open, one at screening, one at
review, one at the decision stage), 4,000 business plans with equipment and own-contribution lines,
200 reviewers on panels, 12,000 score sheets with their criterion scores and declarations, and 1,000
grants with their decisions and award-letter rows. Other sizes scale every count in proportion.

Rows are written with `bulk_create` through the project's models (no services: a service per row would
take an hour at this size), in figures the services would have produced: references numbered per call,
plan versions whose grant is the matching engine's, weighted means from the rubric, a grant per
approved application within its cap, ratio and equipment cost. Refuses a database that already holds
applications unless `--force`, so that it never mixes with real data. Seeded from `random.Random(13)`.
"""

import random
import time
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.roles import Role
from applications.enums import ApplicationStatus, Region, Sector
from applications.matching import compute_grant
from applications.models import Application, Call, Programme
from grants.enums import DecisionOutcome, LetterKind, LetterStatus
from grants.models import Decision, Grant, Letter
from plans.enums import VersionStatus
from plans.models import BusinessPlan, ContributionLine, EquipmentLine, PlanVersion
from reviews.enums import SheetStatus, SlotStatus
from reviews.models import (
    ConflictDeclaration,
    Criterion,
    CriterionScore,
    DefenseSession,
    DefenseSlot,
    PanelMember,
    ScoreSheet,
)
from reviews.ranking.services import ranking_store
from reviews.scoring.rules import CriterionSpec, weighted_mean

S = ApplicationStatus
PASSWORD = "load-1plus1-2026"  # noqa: S105 - a benchmark data set, never a real one
BATCH = 2000
FIRST_NAMES = ["Оксана", "Тарас", "Ірина", "Богдан", "Наталія", "Андрій", "Галина", "Юрій", "Олена", "Степан", "Марія"]
LAST_NAMES = [
    "Петренко", "Мельник", "Шевчук", "Коваленко", "Бондаренко", "Ткаченко", "Кравчук", "Олійник", "Шевченко",
    "Лисенко", "Гнатюк", "Савчук", "Іваненко", "Руденко", "Марченко", "Мороз", "Поліщук", "Ярошенко",
]  # fmt: skip
IDEAS = ["Сімейна сироварня", "Шиномонтаж і СТО", "Столярна майстерня", "Пекарня", "Швейний цех", "Ферма равликів"]
ITEMS = [
    ("Сироварня на 200 л", Decimal("1800.00")),
    ("Прес гідравлічний", Decimal("950.00")),
    ("Холодильна камера", Decimal("1200.00")),
    ("Деревообробний верстат", Decimal("1400.00")),
    ("Швейна машина промислова", Decimal("600.00")),
    ("Бетонозмішувач 180 л", Decimal("420.00")),
]
# Per call stage: the share of each status among its applications (each call holds a quarter of them).
STAGES = {
    "open": {S.DRAFT: 0.55, S.SUBMITTED: 0.45},
    "screening": {S.DRAFT: 0.1, S.SUBMITTED: 0.5, S.SHORTLISTED: 0.2, S.REJECTED: 0.2},
    "review": {S.REJECTED: 0.5, S.SHORTLISTED: 0.3, S.DEFENDED: 0.2},
    "decision": {
        S.DRAFT: 0.06, S.SUBMITTED: 0.04, S.REJECTED: 0.26, S.SHORTLISTED: 0.04, S.INVITED_TO_DEFENSE: 0.08,
        S.DEFENDED: 0.06, S.RECOMMENDED: 0.12, S.WAITLISTED: 0.08,
        S.APPROVED: 0.2, S.DECLINED: 0.06,
    },
}  # fmt: skip
WITH_PLAN = {S.PLAN_SUBMITTED, S.INVITED_TO_DEFENSE, S.DEFENDED, S.RECOMMENDED, S.WAITLISTED, S.APPROVED, S.DECLINED}
DEFENDED = {S.DEFENDED, S.RECOMMENDED, S.WAITLISTED, S.APPROVED, S.DECLINED}
SLOTTED = {S.INVITED_TO_DEFENSE} | DEFENDED
SHEETS_PER_APPLICATION = 3


def _counts(stage: str, n: int) -> list[str]:
    """The statuses of a call's `n` applications, in the stage's proportions (the largest share takes the rest)."""
    shares = STAGES[stage]
    statuses = []
    for status, share in shares.items():
        statuses += [status] * int(n * share)
    biggest = max(shares, key=shares.get)
    return statuses + [biggest] * (n - len(statuses))


class Command(BaseCommand):
    help = "Seed a large data set (four calls, the whole journey) for the benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=20000)
        parser.add_argument("--force", action="store_true", help="seed even though applications exist")

    def handle(self, *args, applications: int, force: bool, **options):
        if applications < 40:
            raise CommandError("--applications must be at least 40.")
        if Application.objects.exists() and not force:
            raise CommandError("The database already holds applications; pass --force to add a data set to them.")
        started = time.monotonic()
        with transaction.atomic():
            calls = Seeder(applications, random.Random(13)).run()
        for call in calls:  # bulk_create sends no signal: the stored rankings are computed here, once
            ranking_store(call_id=call.pk)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # the planner's statistics, and index-only scans, from the start; VACUUM cannot run in a
                # transaction (a caller's, such as a test's), ANALYZE can
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(f"Seeded {applications} applications in {time.monotonic() - started:.1f} s.")


class Seeder:
    def __init__(self, n: int, rng: random.Random):
        self.n = n
        self.rng = rng
        self.now = timezone.now()
        self.password = make_password(PASSWORD)
        self.tag = f"{int(time.time())}"  # several data sets (--force) never collide on emails or references

    def users(self, prefix: str, count: int, role: str | None = None) -> list:
        User = get_user_model()
        users = User.objects.bulk_create(
            [
                User(
                    email=f"{prefix}{number}.{self.tag}@load.example",
                    password=self.password,
                    first_name=self.rng.choice(FIRST_NAMES),
                    last_name=self.rng.choice(LAST_NAMES),
                )
                for number in range(count)
            ],
            batch_size=BATCH,
        )
        if role:
            Group.objects.get(name=role).user_set.add(*users)
        return users

    def run(self) -> list[Call]:
        per_call = self.n // 4
        self.staff = {role: self.users(f"{role}-", 3, role) for role in (Role.PROGRAMME_OFFICER, Role.APPROVER)}
        self.reviewers = self.users("reviewer-", max(4, self.n // 100), Role.REVIEWER)
        programme = Programme.objects.create(name_uk="Програма «1+1»", name_en="The 1+1 programme", donor="Донор")
        return [
            self.call(programme, index, stage, per_call if index < 3 else self.n - 3 * per_call)
            for index, stage in enumerate(STAGES)
        ]

    def call(self, programme: Programme, index: int, stage: str, n: int) -> Call:
        opens = self.now - timedelta(days=30 * (3 - index) + 20) if stage != "open" else self.now - timedelta(days=5)
        call = Call.objects.create(
            programme=programme,
            title_uk=f"Обладнання для власної справи, хвиля {index + 1}",
            title_en=f"Equipment for your own business, round {index + 1}",
            cycle_year=2026,
            reference_prefix=f"L{index + 1}{self.tag[-4:]}",
            budget_envelope=Decimal(4000) * max(n // 5, 1),
            opens_at=opens,
            closes_at=opens + timedelta(days=30) if stage != "open" else self.now + timedelta(days=30),
        )  # saving it gives it the default rubric (reviews.rubrics.receivers)
        statuses = _counts(stage, n)
        self.rng.shuffle(statuses)
        applicants = self.users(f"applicant-{index}-", n)
        regions, sectors = list(Region.values), list(Sector.values)
        number = 0
        rows = []
        for applicant, status in zip(applicants, statuses, strict=True):
            submitted = status != S.DRAFT
            if submitted:
                number += 1
            rows.append(
                Application(
                    call=call,
                    applicant=applicant,
                    status=status,
                    reference=f"{call.reference_prefix}-{call.cycle_year}-{number:05d}" if submitted else None,
                    first_name=applicant.first_name,
                    last_name=applicant.last_name,
                    region=self.rng.choice(regions),
                    sector=self.rng.choice(sectors),
                    idea_title=self.rng.choice(IDEAS),
                    idea_description=" ".join(self.rng.choices(IDEAS, k=40)),
                    own_contribution_amount=Decimal(self.rng.randrange(500, 8000)),
                    submitted_at=opens + timedelta(minutes=self.rng.randrange(60 * 24 * 30)) if submitted else None,
                )
            )
        applications = Application.objects.bulk_create(rows, batch_size=BATCH)
        Call.objects.filter(pk=call.pk).update(last_reference_number=number)
        planned = [application for application in applications if application.status in WITH_PLAN]
        versions = self.plans(call, planned)
        self.reviews(call, [a for a in planned if a.status in SLOTTED])
        self.grants(call, [a for a in planned if a.status == S.APPROVED], versions)
        if stage == "decision":
            Call.objects.filter(pk=call.pk).update(budget_envelope=Decimal(3000) * (len(planned) * 13 // 30))
        return call

    def plans(self, call: Call, applications: list[Application]) -> dict[int, PlanVersion]:
        plans = BusinessPlan.objects.bulk_create(
            [BusinessPlan(application=application) for application in applications], batch_size=BATCH
        )
        versions, equipment, contributions = [], [], []
        for plan in plans:
            lines = self.rng.sample(ITEMS, self.rng.randint(1, 4))
            equipment_usd = sum((price for _, price in lines), Decimal("0.00"))
            own = Decimal(self.rng.randrange(100000, 500000)) / 100
            grant = compute_grant(
                own_contribution=own, equipment_cost=equipment_usd, ratio=call.match_ratio, cap=call.cap
            )
            submitted_at = plan.application.submitted_at + timedelta(days=20)
            versions.append(
                PlanVersion(
                    plan=plan,
                    number=1,
                    status=VersionStatus.SUBMITTED,
                    summary="Бізнес-план: " + plan.application.idea_title,
                    jobs_total=self.rng.randint(1, 5),
                    submitted_at=submitted_at,
                    rates_date=submitted_at.date(),
                    equipment_usd=equipment_usd,
                    own_cash_usd=own,
                    own_in_kind_usd=Decimal("0.00"),
                    own_counted_usd=own,
                    grant_usd=grant,
                    match_ratio=call.match_ratio,
                    cap_usd=call.cap,
                )
            )
        versions = PlanVersion.objects.bulk_create(versions, batch_size=BATCH)
        for version in versions:
            for item, price in self.rng.sample(ITEMS, self.rng.randint(1, 4)):
                equipment.append(
                    EquipmentLine(
                        version=version,
                        item=item,
                        unit_price=price,
                        currency="USD",
                        usd_per_unit=Decimal("1"),
                        rate_date=version.rates_date,
                        total_usd=price,
                    )
                )
            contributions.append(
                ContributionLine(
                    version=version,
                    description="Власні заощадження",
                    amount=version.own_cash_usd,
                    currency="USD",
                    usd_per_unit=Decimal("1"),
                    rate_date=version.rates_date,
                    amount_usd=version.own_cash_usd,
                )
            )
        EquipmentLine.objects.bulk_create(equipment, batch_size=BATCH)
        ContributionLine.objects.bulk_create(contributions, batch_size=BATCH)
        return {version.plan.application_id: version for version in versions}

    def reviews(self, call: Call, applications: list[Application]) -> None:
        """Panels of three reviewers, a slot per application, and for each defended one three submitted
        sheets (declared without a conflict); the invited ones have draft sheets."""
        if not applications:
            return
        criteria = list(Criterion.objects.filter(rubric__call=call))
        specs = [
            CriterionSpec(
                key=str(c.pk), weight=c.weight, scale_min=c.scale_min, scale_max=c.scale_max, allows_na=c.allows_na
            )
            for c in criteria
        ]
        day = call.closes_at.date() + timedelta(days=10)
        per_session = 40
        sessions, members, panels = [], [], []
        for start in range(0, len(applications), per_session):
            panel = self.rng.sample(self.reviewers, SHEETS_PER_APPLICATION)
            session = DefenseSession(
                call=call,
                date=day + timedelta(days=start // per_session),
                starts_at="09:00",
                ends_at="17:00",
                venue="Центр зайнятості",
                capacity=per_session,
                chair=panel[0],
            )
            sessions.append(session)
            panels.append(panel)
        sessions = DefenseSession.objects.bulk_create(sessions)
        for session, panel in zip(sessions, panels, strict=True):
            members += [PanelMember(session=session, reviewer=reviewer) for reviewer in panel]
        PanelMember.objects.bulk_create(members)
        slots, declarations, sheets, given = [], [], [], []
        for offset, application in enumerate(applications):
            session, panel = sessions[offset // per_session], panels[offset // per_session]
            defended = application.status in DEFENDED
            slots.append(
                DefenseSlot(
                    session=session,
                    application=application,
                    starts_at=self.now - timedelta(days=10, minutes=offset),
                    status=SlotStatus.DEFENDED if defended else SlotStatus.SCHEDULED,
                    invited_at=self.now - timedelta(days=20),
                )
            )
            quality = self.rng.uniform(3, 9)
            for reviewer in panel:
                scores = {
                    spec.key: Decimal(min(max(round(quality + self.rng.gauss(0, 1)), spec.scale_min), spec.scale_max))
                    for spec in specs
                }
                declarations.append(ConflictDeclaration(application=application, reviewer=reviewer, conflicted=False))
                sheets.append(
                    ScoreSheet(
                        application=application,
                        reviewer=reviewer,
                        status=SheetStatus.SUBMITTED if defended else SheetStatus.DRAFT,
                        weighted_mean=weighted_mean(scores, specs) if defended else None,
                        submitted_at=self.now - timedelta(days=9) if defended else None,
                    )
                )
                given.append(scores)
        DefenseSlot.objects.bulk_create(slots, batch_size=BATCH)
        ConflictDeclaration.objects.bulk_create(declarations, batch_size=BATCH)
        sheets = ScoreSheet.objects.bulk_create(sheets, batch_size=BATCH)
        CriterionScore.objects.bulk_create(
            (
                CriterionScore(sheet=sheet, criterion_id=int(key), score=score)
                for sheet, scores in zip(sheets, given, strict=True)
                for key, score in scores.items()
            ),
            batch_size=BATCH * 4,
        )

    def grants(self, call: Call, applications: list[Application], versions: dict[int, PlanVersion]) -> None:
        if not applications:
            return
        approver = self.staff[Role.APPROVER][0]
        grants = []
        for sequence, application in enumerate(applications, start=1):
            version = versions[application.pk]
            grants.append(
                Grant(
                    application=application,
                    call=call,
                    plan_version=version,
                    sequence=sequence,
                    agreement_number=f"{call.reference_prefix}-{call.cycle_year}-G{sequence:05d}",
                    grant_usd=version.grant_usd,
                    equipment_usd=version.equipment_usd,
                    own_cash_usd=version.own_cash_usd,
                    own_in_kind_usd=version.own_in_kind_usd,
                    own_counted_usd=version.own_counted_usd,
                    match_ratio=version.match_ratio,
                    cap_usd=version.cap_usd,
                    rates_date=version.rates_date,
                    approved_by=approver,
                )
            )
        grants = Grant.objects.bulk_create(grants, batch_size=BATCH)
        Call.objects.filter(pk=call.pk).update(last_agreement_number=len(grants))
        decisions = Decision.objects.bulk_create(
            [
                Decision(
                    application=grant.application, outcome=DecisionOutcome.APPROVED, grant=grant, decided_by=approver
                )
                for grant in grants
            ],
            batch_size=BATCH,
        )
        Letter.objects.bulk_create(
            [
                Letter(
                    application=grant.application,
                    kind=LetterKind.AWARD,
                    grant=grant,
                    decision=decision,
                    status=LetterStatus.PENDING,
                    language="uk",
                    verification_code=f"{self.tag}{grant.pk:012d}",
                    issued_on=self.now.date(),
                    requested_by=approver,
                )
                for grant, decision in zip(grants, decisions, strict=True)
            ],
            batch_size=BATCH,
        )
