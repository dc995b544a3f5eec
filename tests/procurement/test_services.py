"""Procurement items: variance against the approved amount, the call's tolerance, overruns an approver
confirms under the two-person rule, and the grant never above the cap or the match."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from accounts.roles import Role
from applications.exceptions import ActorNotAllowed
from applications.models import Call
from grants.decisions.selectors import call_committed
from grants.decisions.services import grant_approve
from grants.exceptions import BudgetExceeded
from grants.models import Grant
from procurement.enums import ItemStatus, OverrunStatus
from procurement.exceptions import InvalidMove, ProcurementError
from procurement.models import ItemStatusChange, ProcurementItem
from procurement.services import (
    equipment_reduce,
    is_overrun,
    item_deliver,
    item_move,
    item_order,
    item_overrun_move,
    item_record_cost,
    procurement_open,
)
from tests.factories import UserFactory, recommended_application
from tests.factories.after_award import awarded_grant, usd_rate

pytestmark = pytest.mark.django_db
D = Decimal
ON = date(2025, 3, 14)


def opened(officer, **kwargs):
    grant = awarded_grant(**kwargs)
    procurement_open(grant=grant, actor=officer)
    return grant


def test_opening_copies_each_approved_line_once(officer):
    grant = awarded_grant(equipment=(("Піч", 1, D("2000.00")), ("Тістоміс", 2, D("500.00"))))

    procurement_open(grant=grant, actor=officer)
    procurement_open(grant=grant, actor=officer)

    assert list(grant.procurement_items.values_list("line_number", "item", "quantity", "approved_usd", "status")) == [
        (1, "Піч", 1, D("2000.00"), ItemStatus.TO_ORDER),
        (2, "Тістоміс", 2, D("1000.00"), ItemStatus.TO_ORDER),
    ]
    assert grant.contribution_proofs.count() == 1


def test_cost_in_hryvnias_is_converted_at_the_stored_rate_with_its_variance(officer):
    usd_rate(ON, "40.00")
    grant = opened(officer, equipment=(("Піч", 1, D("2000.00")),), call__cost_tolerance=D("0.10"))
    item = grant.procurement_items.get()

    item = item_record_cost(item=item, actor=officer, amount=D("84000.00"), currency="UAH", on=ON)

    assert (item.actual_usd, item.actual_usd_per_unit, item.actual_rate_date, item.variance_usd) == (
        D("2100.00"),
        D("0.02500000"),
        ON,
        D("100.00"),
    )
    assert item.overrun_status == OverrunStatus.NONE


@pytest.mark.parametrize(
    ("actual", "expected"),
    [("2200.00", OverrunStatus.NONE), ("2200.01", OverrunStatus.PENDING), ("1500.00", OverrunStatus.NONE)],
)
def test_an_overrun_is_a_cost_above_the_tolerance(officer, actual, expected):
    grant = opened(officer, equipment=(("Піч", 1, D("2000.00")),), call__cost_tolerance=D("0.10"))

    item = item_record_cost(item=grant.procurement_items.get(), actor=officer, amount=D(actual), currency="USD", on=ON)

    assert item.overrun_status == expected


def test_is_overrun_compares_exactly():
    assert (
        is_overrun(approved_usd=D("0.01"), actual_usd=D("0.02"), tolerance=D("0.999")),
        is_overrun(approved_usd=D("100"), actual_usd=D("105.00"), tolerance=D("0.05")),
    ) == (True, False)


def test_the_person_who_recorded_a_cost_cannot_confirm_its_overrun(officer, approver):
    both = UserFactory(role=Role.PROGRAMME_OFFICER)
    both.groups.add(Group.objects.get(name=Role.APPROVER))
    grant = opened(officer, equipment=(("Піч", 1, D("2000.00")),), contributions=(("cash", D("3000.00")),))
    item = item_record_cost(item=grant.procurement_items.get(), actor=both, amount=D("2500"), currency="USD", on=ON)

    with pytest.raises(ProcurementError, match="second person"):
        item_overrun_move(item, OverrunStatus.CONFIRMED, actor=both)
    item_overrun_move(item, OverrunStatus.CONFIRMED, actor=approver, note="Ціни зросли")

    item.refresh_from_db()
    assert item.overrun_status == OverrunStatus.CONFIRMED
    assert list(item.status_changes.filter(field="overrun").values_list("from_status", "to_status", "actor")) == [
        (OverrunStatus.NONE, OverrunStatus.PENDING, both.pk),
        (OverrunStatus.PENDING, OverrunStatus.CONFIRMED, approver.pk),
    ]


def test_without_the_two_person_rule_the_recorder_may_confirm(officer):
    both = UserFactory(role=Role.PROGRAMME_OFFICER)
    both.groups.add(Group.objects.get(name=Role.APPROVER))
    grant = opened(
        officer,
        equipment=(("Піч", 1, D("2000.00")),),
        contributions=(("cash", D("3000.00")),),
        call__two_person_rule=False,
    )
    item = item_record_cost(item=grant.procurement_items.get(), actor=both, amount=D("2500"), currency="USD", on=ON)

    item_overrun_move(item, OverrunStatus.CONFIRMED, actor=both)

    assert ProcurementItem.objects.get(pk=item.pk).overrun_status == OverrunStatus.CONFIRMED


def test_an_officer_cannot_confirm_an_overrun(officer):
    grant = opened(officer, equipment=(("Піч", 1, D("2000.00")),), contributions=(("cash", D("3000.00")),))
    item = item_record_cost(item=grant.procurement_items.get(), actor=officer, amount=D("2500"), currency="USD", on=ON)

    with pytest.raises(ActorNotAllowed):
        item_overrun_move(item, OverrunStatus.CONFIRMED, actor=officer)


@pytest.mark.parametrize(
    ("own", "actual", "message"),
    [
        (D("5000.00"), D("4000.01"), "above the call's cap of USD 4,000.00"),
        (D("2200.00"), D("2300.00"), "above USD 2,200.00, the match of the own contribution"),
    ],
)
def test_a_confirmed_overrun_keeps_the_grant_within_the_cap_and_the_match(officer, approver, own, actual, message):
    grant = opened(officer, equipment=(("Піч", 1, D("2000.00")),), contributions=(("cash", own),))
    item = item_record_cost(item=grant.procurement_items.get(), actor=officer, amount=actual, currency="USD", on=ON)

    with pytest.raises(ProcurementError, match=message):
        item_overrun_move(item, OverrunStatus.CONFIRMED, actor=approver)
    assert ProcurementItem.objects.get(pk=item.pk).overrun_status == OverrunStatus.PENDING


def test_a_refusal_needs_a_reason_and_a_new_cost_within_tolerance_clears_it(officer, approver):
    grant = opened(officer, equipment=(("Піч", 1, D("2000.00")),))
    item = item_record_cost(item=grant.procurement_items.get(), actor=officer, amount=D("2500"), currency="USD", on=ON)
    with pytest.raises(ProcurementError, match="Say why"):
        item_overrun_move(item, OverrunStatus.REFUSED, actor=approver)
    item_overrun_move(item, OverrunStatus.REFUSED, actor=approver, note="Знайдіть дешевшого постачальника")

    item = item_record_cost(item=item, actor=officer, amount=D("2150"), currency="USD", on=ON)

    assert (item.overrun_status, item.variance_usd) == (OverrunStatus.NONE, D("150.00"))


def test_an_item_moves_only_along_its_table(officer):
    grant = opened(officer)
    item = grant.procurement_items.get()

    with pytest.raises(InvalidMove):
        item_move(item, ItemStatus.HANDED_OVER, actor=officer)
    with pytest.raises(ProcurementError, match="Record the order"):
        item_deliver(
            item=item,
            actor=officer,
            delivered_on=ON,
            serial_numbers=[],
            condition="new",
            amount=D("3000"),
            currency="USD",
        )


def test_order_delivery_and_their_history(officer):
    grant = opened(officer)
    item = grant.procurement_items.get()

    item_order(item=item, actor=officer, supplier="ТОВ «Агромаш»", purchase_order_number="PO-17", ordered_on=ON)
    item = item_deliver(
        item=item,
        actor=officer,
        delivered_on=ON,
        serial_numbers=["SN-1", " "],
        condition="new",
        amount=D("2950.00"),
        currency="USD",
    )

    assert (item.status, item.serial_numbers, item.purchase_order_number, item.variance_usd) == (
        ItemStatus.DELIVERED,
        ["SN-1"],
        "PO-17",
        D("-50.00"),
    )
    assert list(item.status_changes.filter(field=ItemStatusChange.STATUS).values_list("from_status", "to_status")) == [
        (ItemStatus.TO_ORDER, ItemStatus.ORDERED),
        (ItemStatus.ORDERED, ItemStatus.DELIVERED),
    ]


def test_more_serial_numbers_than_units_are_refused(officer):
    grant = opened(officer)
    item = grant.procurement_items.get()
    item_order(item=item, actor=officer, supplier="S", purchase_order_number="PO-1", ordered_on=ON)

    with pytest.raises(ProcurementError, match="1 units but 2 serial numbers"):
        item_deliver(
            item=item,
            actor=officer,
            delivered_on=ON,
            serial_numbers=["A", "B"],
            condition="new",
            amount=D("3000"),
            currency="USD",
        )
    assert ProcurementItem.objects.get(pk=item.pk).status == ItemStatus.ORDERED


def test_a_missing_rate_is_named_and_nothing_is_stored(officer):
    grant = opened(officer)
    item = grant.procurement_items.get()

    with pytest.raises(ProcurementError, match="no official NBU rate for USD on 14.03.2025"):
        item_record_cost(item=item, actor=officer, amount=D("100000"), currency="UAH", on=ON)
    assert ProcurementItem.objects.get(pk=item.pk).actual_usd is None


def test_only_an_approver_reduces_the_equipment(officer, approver):
    grant = opened(officer, equipment=(("Піч", 1, D("2000.00")), ("Тістоміс", 1, D("1000.00"))))
    mixer = grant.procurement_items.get(line_number=2)

    with pytest.raises(ActorNotAllowed):
        equipment_reduce(grant=grant, items=[mixer], actor=officer, note="Внесок менший")
    equipment_reduce(grant=grant, items=[mixer], actor=approver, note="Внесок менший")

    grant.contribution_match.refresh_from_db()
    assert (ProcurementItem.objects.get(pk=mixer.pk).status, grant.contribution_match.equipment_usd) == (
        ItemStatus.CANCELLED,
        D("2000.00"),
    )


@pytest.mark.parametrize(("envelope", "confirmed"), [(D("2300.00"), True), (D("2299.99"), False)])
def test_a_confirmed_overrun_keeps_the_call_within_its_budget_envelope(officer, approver, envelope, confirmed):
    grant = opened(officer, equipment=(("Піч", 1, D("2000.00")),), contributions=(("cash", D("5000.00")),))
    Call.objects.filter(pk=grant.call_id).update(budget_envelope=envelope)
    item = item_record_cost(item=grant.procurement_items.get(), actor=officer, amount=D("2300"), currency="USD", on=ON)
    changes = ItemStatusChange.objects.count()

    if confirmed:
        item_overrun_move(item, OverrunStatus.CONFIRMED, actor=approver)
    else:
        with pytest.raises(ProcurementError) as refused:
            item_overrun_move(item, OverrunStatus.CONFIRMED, actor=approver)
        assert refused.value.message == (
            "With this overrun the call's grants cost USD 2,300.00, USD 0.01 above its budget envelope of "
            "USD 2,299.99. Refuse the overrun, or reduce the equipment first."
        )

    expected = OverrunStatus.CONFIRMED if confirmed else OverrunStatus.PENDING
    assert ProcurementItem.objects.get(pk=item.pk).overrun_status == expected
    assert ItemStatusChange.objects.count() == changes + (1 if confirmed else 0)


def test_approving_counts_the_confirmed_overruns_against_the_budget_envelope(officer, approver):
    grant = opened(officer, equipment=(("Піч", 1, D("2000.00")),), contributions=(("cash", D("5000.00")),))
    Call.objects.filter(pk=grant.call_id).update(budget_envelope=D("4299.99"))
    item = item_record_cost(item=grant.procurement_items.get(), actor=officer, amount=D("2300"), currency="USD", on=ON)
    item_overrun_move(item, OverrunStatus.CONFIRMED, actor=approver)
    waiting = recommended_application(call=grant.call, grant=D("2000.00"))

    assert call_committed(grant.call) == D("2300.00")
    with translation.override("en"), pytest.raises(BudgetExceeded) as refused:
        grant_approve(application=waiting, actor=approver)

    assert "only USD 1,999.99 of the call's budget remains" in str(refused.value.message)
    assert not Grant.objects.filter(application=waiting).exists()
    Call.objects.filter(pk=grant.call_id).update(budget_envelope=D("4300.00"))
    assert grant_approve(application=waiting, actor=approver).grant_usd == D("2000.00")


def test_the_cost_note_is_stored_as_a_code_and_read_in_the_readers_language(officer):
    grant = opened(officer, equipment=(("Піч", 1, D("2000.00")),))
    item_record_cost(item=grant.procurement_items.get(), actor=officer, amount=D("2300"), currency="USD", on=ON)

    change = ItemStatusChange.objects.get(field=ItemStatusChange.OVERRUN)

    assert (change.note, change.note_code, change.note_params) == (
        "",
        "cost_recorded",
        {"actual_usd": "2300.00", "approved_usd": "2000.00"},
    )
    with translation.override("en"):
        assert change.note_text == "Actual cost USD 2,300.00 against USD 2,000.00 approved."
    with translation.override("uk"):
        assert change.note_text.startswith("Фактична вартість ")
