"""Handover acts: released only on delivered equipment and a verified match, rendered once with their
SHA-256, corrected as new versions, and signed: the equipment is handed over and the application delivered."""

import hashlib
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.enums import ApplicationStatus
from procurement.contributions.services import proof_verify
from procurement.enums import ActStatus, ItemStatus, OverrunStatus
from procurement.exceptions import ProcurementError
from procurement.handover.rendering import ACT_ATTEMPTS, act_render
from procurement.handover.services import act_correct, act_issue, act_sign
from procurement.handover.tasks import handover_act_render
from procurement.models import HandoverAct
from procurement.services import item_record_cost, procurement_open
from tests.factories.after_award import awarded_grant, delivered_grant, pdf_upload

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = timezone.localdate()
FULL = Decimal("3000.00")


def delivered(officer, *, verify: Decimal | None = FULL, **kwargs):
    """A grant with every item delivered and its contribution verified at `verify` (None: not at all)."""
    grant = delivered_grant(officer=officer, verified=False, **kwargs)
    if verify is not None:
        proof_verify(proof=grant.contribution_proofs.get(), actor=officer, amount=verify, currency="USD", on=TODAY)
    return grant


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_a_shortfall_blocks_the_act_and_says_by_how_much(officer):
    grant = delivered(officer, verify=D("2500.00"))

    with pytest.raises(ProcurementError, match="supports USD 2,500.00 of equipment, USD 500.00 less"):
        act_issue(grant=grant, actor=officer)
    assert HandoverAct.objects.count() == 0


def test_undelivered_items_and_waiting_overruns_block_the_act(officer):
    grant = awarded_grant(equipment=(("Піч", 1, D("2000.00")), ("Тістоміс", 1, D("1000.00"))))
    procurement_open(grant=grant, actor=officer)
    oven = grant.procurement_items.get(line_number=1)
    item_record_cost(item=oven, actor=officer, amount=D("2300"), currency="USD", on=TODAY)
    assert type(oven).objects.get(pk=oven.pk).overrun_status == OverrunStatus.PENDING

    with pytest.raises(ProcurementError) as refused:
        act_issue(grant=grant, actor=officer)
    assert "Not yet delivered to the programme: Піч, Тістоміс." in refused.value.message
    assert "A cost overrun waits for or was refused by an approver: Піч." in refused.value.message


def test_the_act_is_rendered_once_with_its_figures_in_both_languages(officer):
    grant = delivered(officer)

    act = act_issue(grant=grant, actor=officer)
    assert act_render(act.pk) is True
    assert act_render(act.pk) is False  # a second run stores nothing

    act.refresh_from_db()
    with act.file.open("rb") as handle:
        content = handle.read()
    assert (act.status, act.sha256, act.version) == (ActStatus.READY, hashlib.sha256(content).hexdigest(), 1)
    assert (act.grant_usd, act.own_counted_usd) == (D("3000.00"), D("3000.00"))
    text = " ".join(pdf_text(act.file.path).split())
    for expected in (
        "Акт приймання-передачі обладнання",
        "Equipment handover act",
        "SN-001",
        f"{grant.agreement_number}-HA",
        "USD 3,000.00",
        "Щонайменше 24 місяці після передачі",
        "For at least 24 months after the handover",
    ):
        assert expected in text, expected


def test_issuing_again_returns_the_same_act_and_a_correction_is_a_new_version(officer):
    grant = delivered(officer)
    first = act_issue(grant=grant, actor=officer)

    assert act_issue(grant=grant, actor=officer).pk == first.pk
    item_record_cost(item=grant.procurement_items.get(), actor=officer, amount=D("2990.00"), currency="USD", on=TODAY)
    second = act_correct(act=first, actor=officer)

    assert list(grant.handover_acts.values_list("version", flat=True)) == [1, 2]
    assert (second.figures["version"], second.figures["equipment_usd"]) == (2, "2990.00")


def test_correcting_an_act_that_states_the_equipment_as_it_is_is_refused_and_stores_nothing(officer):
    grant = delivered(officer)
    first = act_issue(grant=grant, actor=officer)
    act_render(first.pk)
    item_record_cost(item=grant.procurement_items.get(), actor=officer, amount=D("2990.00"), currency="USD", on=TODAY)
    second = act_correct(act=first, actor=officer)

    with pytest.raises(ProcurementError, match="Version 2 already states the equipment as it is now"):
        act_correct(act=second, actor=officer)  # the same form sent again
    with pytest.raises(ProcurementError, match="Version 2 already states"):
        act_correct(act=first, actor=officer)
    assert list(grant.handover_acts.values_list("version", flat=True)) == [1, 2]


def test_signing_hands_the_equipment_over_and_delivers_the_application(officer):
    grant = delivered(officer)
    act = act_issue(grant=grant, actor=officer)
    act_render(act.pk)

    act_sign(act=act, actor=officer, scan=pdf_upload("signed.pdf"), handed_over_on=TODAY)

    act.refresh_from_db()
    grant.application.refresh_from_db()
    assert act.is_signed and act.handed_over_on == TODAY
    assert list(grant.procurement_items.values_list("status", "handed_over_on")) == [(ItemStatus.HANDED_OVER, TODAY)]
    assert grant.application.status == ApplicationStatus.EQUIPMENT_DELIVERED


def test_an_outdated_or_future_signature_is_refused_and_changes_nothing(officer):
    grant = delivered(officer)
    first = act_issue(grant=grant, actor=officer)
    act_render(first.pk)

    with pytest.raises(ProcurementError, match="future"):
        act_sign(act=first, actor=officer, scan=pdf_upload(), handed_over_on=timezone.localdate() + timedelta(days=1))
    item_record_cost(item=grant.procurement_items.get(), actor=officer, amount=D("2990.00"), currency="USD", on=TODAY)
    second = act_correct(act=first, actor=officer)
    act_render(second.pk)
    with pytest.raises(ProcurementError, match="later version"):
        act_sign(act=first, actor=officer, scan=pdf_upload(), handed_over_on=TODAY)

    grant.application.refresh_from_db()
    assert grant.application.status == ApplicationStatus.AWARDED
    assert not HandoverAct.objects.exclude(signed_scan="").exists()


def test_an_act_changed_after_issue_cannot_be_signed(officer):
    grant = delivered(officer)
    act = act_issue(grant=grant, actor=officer)
    act_render(act.pk)
    item = grant.procurement_items.get()
    item_record_cost(item=item, actor=officer, amount=D("2990.00"), currency="USD", on=TODAY)

    with pytest.raises(ProcurementError, match="Issue a corrected version"):
        act_sign(act=act, actor=officer, scan=pdf_upload(), handed_over_on=TODAY)


def test_the_database_refuses_an_act_above_the_verified_match(officer):
    grant = delivered(officer)
    act = act_issue(grant=grant, actor=officer)
    act.own_counted_usd = D("1000.00")

    with pytest.raises(IntegrityError), transaction.atomic():
        act.save()


def test_an_act_that_cannot_be_rendered_is_tried_four_times_then_shows_as_failed(
    officer, django_capture_on_commit_callbacks
):
    grant = delivered(officer)
    with django_capture_on_commit_callbacks(execute=False):
        act = act_issue(grant=grant, actor=officer)
    HandoverAct.objects.filter(pk=act.pk).update(figures={"number": act.number})  # figures it cannot lay out

    assert handover_act_render.apply(args=(act.pk,)).result is False

    act.refresh_from_db()
    assert (act.status, act.attempts, act.error.split(":")[0], act.file.name) == (
        ActStatus.FAILED,
        ACT_ATTEMPTS,
        "KeyError",
        "",
    )
    assert grant.handover_acts.count() == 1
