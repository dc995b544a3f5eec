"""The permission matrix: every URL pattern the resolver knows, requested as anonymous and as every role and
relationship (tests/onepluone/matrix_world.py), answers what `EXPECTED` says; a POST by anyone a GET refuses
changes no stored row.

A new URL without an entry in `EXPECTED` fails `test_every_url_has_an_entry`. Django's admin is one rule:
only a superuser gets past its login (`ADMIN`). Each entry lists the GET status per role in the order of
`ROLES`:

    anonymous owner other_applicant consultant other_consultant reviewer other_reviewer conflicted_reviewer
    chair officer approver donor superuser

Outcomes: 200 a page (or a file), 302 a redirect (anonymous visitors to sign in; staff to their own page
of the same thing), 403 a role that never may, 404 an object that is not the user's (or not there), 405 a
POST-only action. A 500 is never an outcome.
"""

import os

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import translation

from tests.signin import SecondFactorClient

from .matrix_world import ROLES, build_world, is_admin, kwargs_for, url_patterns

pytestmark = pytest.mark.django_db

# fmt: off
EXPECTED = {
    "set_language": "302 302 302 302 302 302 302 302 302 302 302 302 302",
    "letter_verify_form": "200 200 200 200 200 200 200 200 200 200 200 200 200",
    "letter_verify": "200 200 200 200 200 200 200 200 200 200 200 200 200",
    "home": "200 200 200 200 200 200 200 200 200 200 200 200 200",
    "dashboard": "302 200 200 302 302 302 302 302 302 302 302 200 200",
    "help": "200 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_login": "200 302 302 302 302 302 302 302 302 302 302 302 302",
    "account_logout": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_inactive": "200 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_signup": "200 302 302 302 302 302 302 302 302 302 302 302 302",
    "account_reauthenticate": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_request_reauthentication_code": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_confirm_reauthentication_code": "302 302 302 302 302 302 302 302 302 302 302 302 302",
    "account_email": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_email_verification_sent": "200 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_change_password": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_set_password": "302 302 302 302 302 302 302 302 302 302 302 302 302",
    "account_reset_password": "200 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_confirm_login_code": "302 302 302 302 302 302 302 302 302 302 302 302 302",
    "account_confirm_email": "200 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_reset_password_from_key_done": "200 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_reset_password_from_key": "200 200 200 200 200 200 200 200 200 200 200 200 200",
    "account_reset_password_done": "200 200 200 200 200 200 200 200 200 200 200 200 200",
    "mfa_index": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "mfa_authenticate": "302 302 302 302 302 302 302 302 302 302 302 302 302",
    "mfa_reauthenticate": "302 302 302 200 200 200 200 200 200 200 200 200 200",
    "mfa_activate_totp": "302 302 302 302 302 302 302 302 302 302 302 302 302",
    "mfa_deactivate_totp": "302 404 404 200 200 200 200 200 200 200 200 200 200",
    "mfa_view_recovery_codes": "302 404 404 200 200 200 200 200 200 200 200 200 200",
    "mfa_generate_recovery_codes": "302 302 302 200 200 200 200 200 200 200 200 200 200",
    "mfa_download_recovery_codes": "302 404 404 200 200 200 200 200 200 200 200 200 200",
    "mfa_list_webauthn": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "mfa_add_webauthn": "302 302 302 200 200 200 200 200 200 200 200 200 200",
    "mfa_reauthenticate_webauthn": "302 302 302 302 302 302 302 302 302 302 302 302 302",
    "mfa_remove_webauthn": "302 302 302 404 404 404 404 404 404 404 404 404 404",
    "mfa_edit_webauthn": "302 302 302 404 404 404 404 404 404 404 404 404 404",
    "applicant_defense_ics": "302 200 404 404 404 404 404 404 404 404 404 404 404",
    "grants:approve_confirm": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "grants:decline_confirm": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "grants:letters_confirm": "302 403 403 403 403 403 403 403 403 302 302 403 302",
    "reviewing:chair_defended": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reviewing:chair_no_show": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "staff:dashboard": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "staff:call_create": "302 403 403 403 403 403 403 403 403 200 403 403 200",
    "staff:call_edit": "302 403 403 403 403 403 403 403 403 200 403 403 200",
    "staff:queue": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "staff:queue_bulk": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "staff:application_detail": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "staff:application_checks": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "staff:application_shortlist": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "staff:application_reject": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "staff:application_message": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "javascript-catalog": "200 200 200 200 200 200 200 200 200 200 200 200 200",
    "consultations:home": "302 403 403 200 200 403 403 403 403 403 403 403 200",
    "consultations:application": "302 404 404 200 404 404 404 404 404 404 404 404 200",
    "consultations:session_log": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "consultations:comment_add": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "consultations:assign": "302 403 403 403 403 403 403 403 403 200 403 403 200",
    "reviewing:home": "302 403 403 403 403 200 200 200 200 403 403 403 200",
    "reviewing:application": "302 404 404 404 404 200 404 404 404 404 404 404 404",
    "reviewing:declare": "302 404 404 404 404 200 404 200 404 404 404 404 404",
    "reviewing:score": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reviewing:chair": "302 404 404 404 404 404 404 404 200 404 404 404 404",
    "reviewing:chair_progress": "302 404 404 404 404 404 404 404 200 404 404 404 404",
    "reviewing:reopen": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "defense:call": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "defense:schedule_automatically": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "defense:session_create": "302 403 403 403 403 403 403 403 403 200 403 403 200",
    "defense:session": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "defense:session_edit": "302 403 403 403 403 403 403 403 403 200 403 403 200",
    "defense:slot_schedule": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "defense:member_add": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "defense:slot_move": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "defense:slot_cancel": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reviewing:conflict_clear": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "defense:slot_no_show": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "defense:slot_defended": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "rubric:call": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "rubric:settings": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "rubric:criterion_add": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "rubric:criterion_edit": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "rubric:criterion_remove": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "ranking:call": "302 403 403 403 403 403 403 403 200 200 200 403 200",
    "ranking:confirm": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "ranking:export_csv": "302 403 403 403 403 403 403 403 403 302 302 403 302",
    "ranking:export_xlsx": "302 403 403 403 403 403 403 403 403 302 302 403 302",
    "grants:calls": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "grants:call_decisions": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "grants:approve_bulk": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "grants:application": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "grants:approve": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "grants:decline": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "grants:keep_waitlisted": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "grants:promote": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "grants:letters_start": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "grants:letter_issue": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "grants:letter_regenerate": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "grants:letter_regenerate_confirm": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "grants:batch": "302 403 403 403 403 403 403 403 403 404 404 403 404",
    "grants:batch_progress": "302 403 403 403 403 403 403 403 403 404 404 403 404",
    "grants:batch_resume": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "letters:download": "302 200 404 404 404 404 404 404 404 200 200 404 200",
    "plan_pdf:download": "302 200 404 200 404 200 404 404 404 200 200 404 200",
    "procurement:calls": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "procurement:call_items": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "procurement:call_open": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "procurement:confirmations": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "procurement:grant": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "procurement:grant_open": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "procurement:reduce": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "procurement:verification": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "procurement:act_issue": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "procurement:item": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "procurement:item_order": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "procurement:item_cost": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "procurement:item_delivery": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "procurement:item_status": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "procurement:item_overrun": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "procurement:proof_verify": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "procurement:proof_reject": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "procurement:act_correct": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "procurement:act_sign": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "procurement:delivery": "302 200 404 404 404 404 404 404 404 302 302 404 302",
    "procurement:evidence_upload": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "procurement:evidence_download": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "procurement:act_download": "302 200 404 404 404 404 404 404 404 200 200 404 200",
    "procurement:signed_download": "302 200 404 404 404 404 404 404 404 200 200 404 200",
    "monitoring:reports": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "monitoring:report": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "monitoring:report_review": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "monitoring:grant": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "monitoring:visit_create": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "monitoring:case_create": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "monitoring:samples": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "monitoring:sample": "302 403 403 403 403 403 403 403 403 404 404 403 404",
    "monitoring:cases": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "monitoring:case": "302 403 403 403 403 403 403 403 403 404 404 403 404",
    "monitoring:plan_vs_actual": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "monitoring:my_reports": "302 200 200 200 200 200 200 200 200 302 302 200 302",
    "monitoring:report_edit": "302 200 404 404 404 404 404 404 404 302 302 404 302",
    "monitoring:report_photo_remove": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "monitoring:photo": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "plans:plan_detail": "302 200 404 200 404 200 404 404 404 200 200 404 200",
    "plans:plan_edit": "302 200 404 404 404 404 404 404 404 404 404 404 404",
    "plans:plan_preview": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "plans:plan_version": "302 200 404 200 404 200 404 404 404 200 200 404 200",
    "plans:plan_return": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "plans:quote_download": "302 200 404 200 404 200 404 404 404 200 200 404 200",
    "plans:evidence_download": "302 404 404 404 404 404 404 404 404 404 404 404 404",
    "rates:list": "302 403 403 403 403 403 403 403 403 200 200 403 200",
    "rates:edit": "302 403 403 403 403 403 403 403 403 200 403 403 200",
    "rates:import": "302 403 403 403 403 403 403 403 403 200 403 403 200",
    "audit:access_log": "302 403 403 403 403 403 403 403 403 200 403 200 200",
    "privacy:my_data": "302 200 200 200 200 200 200 200 200 200 200 200 200",
    "privacy:download": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "privacy:erasure_request": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "privacy:consent_change": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "privacy:erasure_queue": "302 403 403 403 403 403 403 403 403 200 403 403 200",
    "privacy:erasure_detail": "302 403 403 403 403 403 403 403 403 404 403 403 404",
    "reports:dashboard": "302 403 403 403 403 403 403 403 403 200 200 200 200",
    "reports:map": "302 403 403 403 403 403 403 403 403 200 200 200 200",
    "reports:exports": "302 403 403 403 403 403 403 403 403 200 200 200 200",
    "reports:export_pseudonymised": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reports:export_full": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reports:export_iati": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "applications:call_list": "200 200 200 200 200 200 200 200 200 200 200 200 200",
    "applications:call_detail": "200 200 200 200 200 200 200 200 200 200 200 200 200",
    "applications:apply": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "applications:application_detail": "302 200 404 404 404 404 404 404 404 302 302 404 302",
    "applications:application_step": "302 302 404 404 404 404 404 404 404 404 404 404 404",
    "applications:application_submit": "405 405 405 405 405 405 405 405 405 405 405 405 405",
    "applications:application_withdraw": "302 200 404 404 404 404 404 404 404 404 404 404 404",
    "applications:application_evidence": "302 404 404 404 404 404 404 404 404 404 404 404 404",
}
# fmt: on

# Admin pages: everyone but the superuser is sent to the admin login; the superuser gets a page or a redirect.
ADMIN = {role: {302} for role in ROLES} | {"superuser": {200, 302, 404}}

# URLs the matrix does not request, and why.
NOT_REQUESTED = {
    "healthz": "answers the load balancer, no user or data",
}

STAFF = frozenset({"officer", "approver", "superuser"})

# Who may act on a POST-only URL (its GET is 405 for everyone): everyone else's POST is refused and changes
# nothing. Staff actions by default; the superuser passes every permission.
POST_ACTORS = {
    "consultations:session_log": STAFF | {"consultant"},
    "consultations:comment_add": STAFF | {"consultant"},
    "reviewing:score": {"reviewer", "superuser"},
    "reviewing:reopen": {"chair", "superuser"},
    "ranking:confirm": STAFF | {"chair"},
    "reports:export_pseudonymised": STAFF | {"donor"},
    "privacy:download": set(ROLES) - {"anonymous"},
    "privacy:erasure_request": set(ROLES) - {"anonymous"},
    "privacy:consent_change": {"owner"},
    "applications:apply": {"owner", "other_applicant", "superuser"},
    "applications:application_submit": {"owner"},
    "plans:plan_preview": {"owner"},
    "procurement:evidence_upload": {"owner"},
    "monitoring:report_photo_remove": {"owner"},
}
REFUSED_POST = {302, 400, 403, 404, 405}


def refused_posters(name: str, line: list[str]) -> list[str]:
    """The roles whose POST to the URL must be refused: where every GET is 405 (a POST-only action), all
    but its actors; else those a GET refuses (403, 404; anonymous sent to sign in)."""
    if set(line) == {"405"}:
        actors = POST_ACTORS.get(name, STAFF)
        return [role for role in ROLES if role not in actors]
    return [
        role
        for role, status in zip(ROLES, line, strict=True)
        if status in {"403", "404"} or (role == "anonymous" and status == "302")
    ]


def _clients(world) -> dict:
    clients = {"anonymous": SecondFactorClient()}
    for role in ROLES[1:]:
        client = SecondFactorClient()
        client.force_login(world.users[role])
        clients[role] = client
    return clients


def _requests(world):
    with translation.override("uk"):
        for name, route, pattern in url_patterns():
            if name in NOT_REQUESTED:
                continue
            if is_admin(route):
                yield name, route, None
                continue
            if pattern.name is None:
                yield name, route, "/" + route.replace("^", "").replace("$", "")
                continue
            yield name, route, reverse(name, kwargs=kwargs_for(world, name, route))


def _get(client, path):
    response = client.get(path)
    status = response.status_code
    if response.streaming:  # read to the end: the test client then closes the file as a server would
        b"".join(response.streaming_content)
    return status, response


def _snapshot_sql() -> str:
    """One query that reads every stored row of every table but the sessions, as one text per table."""
    parts = []
    for model in apps.get_models():
        if model is Session or model._meta.proxy or not model._meta.managed:
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        if connection.vendor == "postgresql":
            parts.append(f"SELECT '{table}', md5(string_agg(t::text, ',' ORDER BY t::text)) FROM {table} t")  # noqa: S608 - table names from the models
        else:
            columns = " || ',' || ".join(
                f"quote({connection.ops.quote_name(f.column)})" for f in model._meta.concrete_fields
            )
            parts.append(f"SELECT '{table}', group_concat(row) FROM (SELECT {columns} AS row FROM {table} ORDER BY 1)")  # noqa: S608
    return " UNION ALL ".join(parts)


def _snapshot(sql: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.fixture
def world():
    return build_world()


def test_every_url_has_an_entry():
    names = [name for name, route, _ in url_patterns() if not is_admin(route) and name not in NOT_REQUESTED]

    assert sorted(set(names) - set(EXPECTED)) == []
    assert sorted(set(EXPECTED) - set(names)) == []


def test_every_url_answers_every_role_as_the_matrix_says(world):
    clients = _clients(world)
    found, wrong = {}, []
    for name, _route, path in _requests(world):
        if path is None:
            continue
        statuses = []
        for role in ROLES:
            status, _ = _get(clients[role], path)
            statuses.append(str(status))
        found[name] = " ".join(statuses)
        if found[name] != EXPECTED.get(name):
            wrong.append(f'    "{name}": "{found[name]}",  # was {EXPECTED.get(name)}')
    if os.environ.get("MATRIX_WRITE"):  # MATRIX_WRITE=1 pytest -s prints the table as it stands
        print("\n".join(f'    "{name}": "{line}",' for name, line in found.items()))
    assert wrong == []
    assert all("500" not in line for line in found.values())


def test_admin_pages_are_for_the_superuser_only(world):
    clients = _clients(world)
    with translation.override("uk"):
        paths = [reverse("admin:index")] + [
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            for model in apps.get_models()
            if model in __import__("django.contrib.admin").contrib.admin.site._registry
        ]
    wrong = []
    for path in paths:
        for role in ROLES:
            status, _ = _get(clients[role], path)
            if status not in ADMIN[role]:
                wrong.append((path, role, status))
    assert wrong == []
    assert len(paths) > 10


def test_a_post_by_anyone_refused_changes_no_row(world):
    clients = _clients(world)
    wrong = []
    posts = 0
    sql = _snapshot_sql()
    for name, _route, path in _requests(world):
        if path is None:
            continue
        refused = refused_posters(name, EXPECTED[name].split())
        if not refused:
            continue
        before = _snapshot(sql)
        for role in refused:
            response = clients[role].post(path, {"next": "https://evil.example/", "reason": "x", "note": "x"})
            posts += 1
            if response.status_code not in REFUSED_POST:
                wrong.append((name, role, response.status_code))
            elif _snapshot(sql) != before:
                wrong.append((name, role, "changed rows"))
                before = _snapshot(sql)
    assert wrong == []
    assert posts > 100


def test_the_snapshot_sees_an_edited_row(world):
    """The POST test compares snapshots: an update that keeps the row count must show."""
    from applications.models import Application

    sql = _snapshot_sql()
    before = _snapshot(sql)
    Application.objects.filter(pk=world.ids["application"]).update(idea_title="Інша назва")

    assert _snapshot(sql) != before
