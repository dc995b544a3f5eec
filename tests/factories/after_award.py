"""Grants after the award letter, reached through the services: approved, awarded, procurement opened,
contribution verified, equipment handed over."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from applications.enums import ApplicationStatus
from applications.matching import compute_grant, counted_own_contribution
from applications.services import application_move
from grants.decisions.services import grant_approve
from grants.models import Grant
from plans.models import ContributionLine

from . import MINIMAL_PDF, ExchangeRateFactory, UserFactory, recommended_application

USD = Decimal("1")


def usd_rate(on: date, uah_per_usd: str = "41.00") -> None:
    """The NBU's dollar rate of `on`, so UAH amounts convert (tests state the rate they rely on)."""
    ExchangeRateFactory(currency="USD", date=on, uah_per_unit=Decimal(uah_per_usd))


def awarded_grant(
    *,
    equipment: tuple[tuple[str, int, Decimal], ...] = (("Сироварня на 200 л", 1, Decimal("3000.00")),),
    contributions: tuple[tuple[str, Decimal], ...] = (("cash", Decimal("3000.00")),),
    approver=None,
    **kwargs,
) -> Grant:
    """An awarded grant: the plan's equipment as given (USD) and its own-contribution lines (kind, USD);
    the grant the frozen figures give is min(equipment, own counted, cap)."""
    equipment_usd = sum((price * quantity for _, quantity, price in equipment), Decimal("0.00"))
    own = sum((amount for _, amount in contributions), Decimal("0.00"))
    application = recommended_application(grant=min(equipment_usd, own), equipment=equipment, **kwargs)
    version = application.business_plan.versions.get()
    version.contribution_lines.all().delete()
    for kind, amount in contributions:
        ContributionLine.objects.create(
            version=version,
            kind=kind,
            description="Заощадження" if kind == "cash" else "Власне приміщення",
            amount=amount,
            currency="USD",
            usd_per_unit=USD,
            rate_date=timezone.localdate(),
            amount_usd=amount,
        )
    cash = sum((amount for kind, amount in contributions if kind == "cash"), Decimal("0.00"))
    call = application.call
    counted = counted_own_contribution(
        cash=cash, in_kind=own - cash, in_kind_allowed=call.in_kind_allowed, in_kind_max_share=call.in_kind_max_share
    )
    type(version).objects.filter(pk=version.pk).update(
        own_cash_usd=cash,
        own_in_kind_usd=own - cash,
        own_counted_usd=counted,
        grant_usd=compute_grant(
            own_contribution=counted, equipment_cost=equipment_usd, ratio=call.match_ratio, cap=call.cap
        ),
    )
    approver = approver or UserFactory(role=Role.APPROVER)
    grant = grant_approve(application=application, actor=approver)
    application_move(application, ApplicationStatus.AWARDED, actor=approver)
    return Grant.objects.select_related("application", "call").get(pk=grant.pk)


def pdf_upload(name: str = "receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def delivered_grant(*, officer, verified: bool = True, **kwargs) -> Grant:
    """An awarded grant whose items were ordered and delivered today at their approved cost (serial numbers
    SN-001, SN-002...) and, with `verified`, every own-contribution line verified at its declared amount."""
    from procurement.contributions.services import proof_verify
    from procurement.services import item_deliver, item_order, procurement_open

    grant = awarded_grant(**kwargs)
    today = timezone.localdate()
    procurement_open(grant=grant, actor=officer)
    for number, item in enumerate(grant.procurement_items.all(), start=1):
        item_order(
            item=item, actor=officer, supplier="ТОВ «Агромаш»", purchase_order_number=f"PO-{number}", ordered_on=today
        )
        item_deliver(
            item=item,
            actor=officer,
            delivered_on=today,
            serial_numbers=[f"SN-{number:03d}"],
            condition="new",
            amount=item.approved_usd,
            currency="USD",
        )
    if verified:
        for proof in grant.contribution_proofs.all():
            proof_verify(proof=proof, actor=officer, amount=proof.declared_usd, currency="USD", on=today)
    return grant


def handed_over_grant(*, officer, **kwargs) -> Grant:
    """A delivered grant with its contribution verified and its act signed today, through the services;
    monitoring has scheduled its reports."""
    from procurement.handover.rendering import act_render
    from procurement.handover.services import act_issue, act_sign

    grant = delivered_grant(officer=officer, **kwargs)
    act = act_issue(grant=grant, actor=officer)
    act_render(act.pk)
    act.refresh_from_db()
    act_sign(act=act, actor=officer, scan=pdf_upload("signed.pdf"), handed_over_on=timezone.localdate())
    return Grant.objects.select_related("application", "call", "monitoring_schedule").get(pk=grant.pk)
