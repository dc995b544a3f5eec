"""Demo data after the award (`manage.py seed_demo`): a closed 2024 call whose grants stand at every stage
after the award letter, reached through the services, so each screen of procurement, the own
contribution, the handover and monitoring has something to show.

- Roman: equipment ordered; one item's invoice is above the call's tolerance, waiting for an approver.
- Marta: everything delivered and her contribution verified: the officer can issue the handover act.
- Vasyl: delivered, but his contribution only partly verified: a shortfall blocks the handover.
- Olha: handed over on a signed act; her 6-month report is submitted for review, the 12-month one is due.
- Mykola: handed over; a field visit found the equipment unused, so a retention case waits for an approver;
  his 6-month report is a saved draft.
- Halyna (2025 call): her procurement is opened, with her own contribution still to prove.
"""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from applications import services as application_services
from applications.enums import ApplicationStatus, Gender, Region, Sector, Track
from applications.models import Application, Call
from applications.staff import services as screening
from common.uploads import demo_pdf
from grants.decisions.services import grant_approve
from grants.enums import LetterKind
from grants.letters.services import letter_issue
from grants.models import Grant
from plans import services as plan_services
from plans.models import ContributionLine, EquipmentLine
from procurement.contributions.services import evidence_add, proof_verify
from procurement.handover.rendering import act_render
from procurement.handover.services import act_issue, act_sign
from procurement.services import item_deliver, item_order, item_record_cost, procurement_open

from .enums import CaseSource
from .field.services import sample_draw, visit_record
from .services import report_save, report_submit

S = ApplicationStatus
DEMO_PDF = demo_pdf()

# email, first, last, oblast, idea, equipment (item, quantity, USD each), own contribution (kind, USD), stage
PARTICIPANTS = [
    (
        "roman@example.org",
        "Роман",
        "Гуменюк",
        Region.VOLYN,
        "Пасіка на 40 вуликів",
        [("Медогонка", 1, "1400"), ("Вулики", 10, "120")],
        [("cash", "2600")],
        "ordered",
    ),
    (
        "marta@example.org",
        "Марта",
        "Ковальчук",
        Region.LVIV,
        "Кав'ярня біля школи",
        [("Кавомашина", 1, "2600"), ("Кавомолка", 1, "500")],
        [("cash", "3200")],
        "delivered",
    ),
    (
        "vasyl@example.org",
        "Василь",
        "Дмитренко",
        Region.POLTAVA,
        "Ремонт сільгосптехніки",
        [("Зварювальний апарат", 1, "1800"), ("Компресор", 1, "1200")],
        [("cash", "2200"), ("in_kind", "900")],
        "shortfall",
    ),
    (
        "olha@example.org",
        "Ольга",
        "Мельничук",
        Region.KHMELNYTSKYI,
        "Швейне ательє",
        [("Промислова швейна машина", 2, "900"), ("Оверлок", 1, "700")],
        [("cash", "2600")],
        "reporting",
    ),
    (
        "mykola@example.org",
        "Микола",
        "Савченко",
        Region.CHERKASY,
        "Столярна майстерня",
        [("Фуговально-рейсмусовий верстат", 1, "2400")],
        [("cash", "2500")],
        "retention",
    ),
]
LOGINS = [
    ("Applicant: ordered, an overrun waits", "roman@example.org"),
    ("Applicant: delivered, ready for the act", "marta@example.org"),
    ("Applicant: contribution short of the match", "vasyl@example.org"),
    ("Applicant: handed over, report submitted", "olha@example.org"),
    ("Applicant: handed over, retention case open", "mykola@example.org"),
]


def _photo(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 140, 90)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _awarded(
    *, call, number, email, first, last, region, idea, equipment, contributions, user_factory, officer, approver
):
    user = user_factory(email, first, last)
    application = Application.objects.create(
        call=call,
        applicant=user,
        language="uk",
        first_name=first,
        last_name=last,
        gender=Gender.FEMALE if first.endswith("а") else Gender.MALE,
        region=region,
        hromada="Центральна громада",
        settlement="Ковель",
        sector=Sector.SERVICES,
        idea_title=idea,
    )
    call.last_reference_number = number
    call.save(update_fields=["last_reference_number"])
    Application.objects.filter(pk=application.pk).update(
        reference=f"{call.reference_prefix}-{call.cycle_year}-{number:04d}",
        submitted_at=timezone.now() - timedelta(days=300),
    )
    application.refresh_from_db()
    application_services.application_move(application, S.SUBMITTED, actor=user)
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
            "jobs_total": 3,
            "jobs_women": 2,
            "jobs_youth": 1,
            "projection": [{"revenue": "45000.00", "costs": "30000.00"} for _ in range(12)],
        },
    )
    for item, quantity, price in equipment:
        line = EquipmentLine(
            version=version,
            item=item,
            supplier="ТОВ «Техносвіт»",
            quantity=quantity,
            unit_price=Decimal(price),
            currency="USD",
            quote_type="application/pdf",
        )
        line.quote.save("quote.pdf", ContentFile(DEMO_PDF), save=False)
        line.save()
    for kind, amount in contributions:
        ContributionLine.objects.create(
            version=version,
            kind=kind,
            currency="USD",
            amount=Decimal(amount),
            description="Заощадження з роботи за кордоном" if kind == "cash" else "Власне приміщення під майстерню",
        )
    plan_services.plan_submit(version=version, actor=user)
    application.refresh_from_db()
    for step in (S.INVITED_TO_DEFENSE, S.DEFENDED, S.RECOMMENDED):
        application_services.application_move(application, step, actor=officer)
    grant = grant_approve(application=application, actor=approver, rank=number)
    letter_issue(application=application, kind=LetterKind.AWARD, actor=officer)
    application.refresh_from_db()
    if application.status == S.APPROVED:  # the letter renders in a worker; the demo does not wait for it
        application_services.application_move(application, S.AWARDED, actor=approver)
    return Grant.objects.get(pk=grant.pk)


def _deliver_all(grant, officer, today):
    for number, item in enumerate(grant.procurement_items.order_by("line_number"), start=1):
        item_order(
            item=item,
            actor=officer,
            supplier="ТОВ «Техносвіт»",
            purchase_order_number=f"PO-{grant.sequence:03d}-{number}",
            ordered_on=today - timedelta(days=20),
        )
        item_deliver(
            item=item,
            actor=officer,
            delivered_on=today - timedelta(days=3),
            serial_numbers=[f"TS-{grant.sequence:03d}{number}{unit}" for unit in range(1, item.quantity + 1)],
            condition="new",
            amount=item.approved_usd * Decimal("41.30"),
            currency="UAH",
        )


def _prove_all(grant, officer, today):
    applicant = grant.application.applicant
    for proof in grant.contribution_proofs.all():
        evidence_add(proof=proof, actor=applicant, upload=_pdf("statement.pdf"), note="Виписка з банківського рахунку")
        proof_verify(proof=proof, actor=officer, amount=proof.declared_usd, currency="USD", on=today)


def _hand_over(grant, officer, today):
    act = act_issue(grant=grant, actor=officer)
    act_render(act.pk)
    act.refresh_from_db()
    act_sign(act=act, actor=officer, scan=_pdf("signed-act.pdf"), handed_over_on=today)


def seed_after_award(*, programme, officer, approver, user_factory) -> None:
    """`user_factory(email, first, last)` makes a verified applicant (seed_demo's own)."""
    now = timezone.now()
    today = timezone.localdate()
    call = Call.objects.create(
        programme=programme,
        title_uk="Індивідуальні гранти 1+1, 2024",
        title_en="1+1 individual grants, 2024",
        cycle_year=2024,
        track=Track.INDIVIDUAL,
        reference_prefix="1P1",
        cap=Decimal("4000"),
        budget_envelope=Decimal("60000"),
        in_kind_allowed=True,
        in_kind_max_share=Decimal("0.3"),
        cost_tolerance=Decimal("0.05"),
        opens_at=now - timedelta(days=500),
        closes_at=now - timedelta(days=450),
    )
    grants = {}
    for number, (email, first, last, region, idea, equipment, contributions, stage) in enumerate(PARTICIPANTS, start=1):
        grant = _awarded(
            call=call,
            number=number,
            email=email,
            first=first,
            last=last,
            region=region,
            idea=idea,
            equipment=equipment,
            contributions=contributions,
            user_factory=user_factory,
            officer=officer,
            approver=approver,
        )
        procurement_open(grant=grant, actor=officer)
        grants[stage] = grant

    roman = grants["ordered"]
    for number, item in enumerate(roman.procurement_items.order_by("line_number"), start=1):
        item_order(
            item=item,
            actor=officer,
            supplier="ФОП Бджолярчук",
            purchase_order_number=f"PO-2024-{number:03d}",
            ordered_on=today - timedelta(days=5),
        )
    extractor = roman.procurement_items.get(line_number=1)
    item_record_cost(
        item=extractor, actor=officer, amount=Decimal("61950.00"), currency="UAH", on=today - timedelta(days=2)
    )

    marta = grants["delivered"]
    _deliver_all(marta, officer, today)
    _prove_all(marta, officer, today)

    vasyl = grants["shortfall"]
    _deliver_all(vasyl, officer, today)
    cash, in_kind = vasyl.contribution_proofs.order_by("line_id")
    evidence_add(proof=cash, actor=vasyl.application.applicant, upload=_pdf("receipts.pdf"), note="Квитанції")
    proof_verify(
        proof=cash,
        actor=officer,
        amount=Decimal("1750.00"),
        currency="USD",
        on=today,
        note="Дві квитанції на 450 доларів не читаються.",
    )
    evidence_add(proof=in_kind, actor=vasyl.application.applicant, upload=_photo("garage.jpg"), note="Фото приміщення")
    proof_verify(
        proof=in_kind,
        actor=officer,
        amount=Decimal("900.00"),
        currency="USD",
        on=today,
        note="Оцінка приміщення за договором оренди сусідньої ділянки.",
    )

    olha = grants["reporting"]
    _deliver_all(olha, officer, today)
    _prove_all(olha, officer, today)
    _hand_over(olha, officer, today)
    first = olha.monitoring_reports.order_by("months_after").first()
    report_save(
        report=first,
        actor=olha.application.applicant,
        fields={
            "business_operating": True,
            "equipment_in_use": True,
            "revenue_band": "100k_500k",
            "story": "Ательє шиє шкільну форму для трьох сіл; взяла на роботу двох сусідок.",
        },
        jobs={("female", "35_54"): 2, ("female", "under_35"): 1},
    )
    report_submit(report=first, actor=olha.application.applicant)

    mykola = grants["retention"]
    _deliver_all(mykola, officer, today)
    _prove_all(mykola, officer, today)
    _hand_over(mykola, officer, today)
    report_save(
        report=mykola.monitoring_reports.order_by("months_after").first(),
        actor=mykola.application.applicant,
        fields={"business_operating": True, "story": "Працюємо на замовлення."},
    )
    sample = sample_draw(call=call, actor=officer, confidence=Decimal("0.90"), margin=Decimal("0.10"), seed=20240614)
    visit_record(
        grant=mykola,
        actor=officer,
        sample=sample if sample.members.filter(grant=mykola).exists() else None,
        visited_on=today,
        equipment_present=True,
        equipment_in_use=False,
        business_operating=True,
        notes="Майстерня працює, але верстат стоїть у гаражі не підключений.",
        discrepancy=True,
        discrepancy_note="У звіті верстат у роботі; на місці він не підключений.",
        photos=[_photo("workshop.jpg")],
    )
    assert mykola.retention_cases.filter(source=CaseSource.VISIT).exists()

    halyna = Grant.objects.filter(application__applicant__email="halyna@example.org").first()
    if halyna is not None:
        halyna.application.refresh_from_db()
        procurement_open(grant=halyna, actor=officer)
