"""Staff authenticator secrets are stored encrypted (accounts.mfa, the MFA adapter's hooks), a code from the
secret still signs in, and migration 0003 encrypts the secrets stored before it."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.mfa import SECRET_PREFIX, authenticator_secrets_rotate, totp_enrol
from accounts.roles import Role
from tests.factories import UserFactory
from tests.signin import TOTP_SECRET, totp_code

pytestmark = pytest.mark.django_db


def raw_data(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def test_the_totp_secret_and_the_recovery_seed_are_not_stored_in_clear():
    user = UserFactory(role=Role.PROGRAMME_OFFICER)
    totp = totp_enrol(user=user, secret=TOTP_SECRET)
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)

    assert TOTP_SECRET not in raw_data(totp.pk)
    assert SECRET_PREFIX in raw_data(totp.pk) and SECRET_PREFIX in raw_data(codes.pk)
    assert TOTP(totp).validate_code(totp_code())


def test_a_secret_from_before_encryption_still_works_and_the_rotation_encrypts_it():
    user = UserFactory(role=Role.APPROVER)
    totp = totp_enrol(user=user, secret=TOTP_SECRET)
    Authenticator.objects.filter(pk=totp.pk).update(data={"secret": TOTP_SECRET})
    totp.refresh_from_db()

    assert TOTP(totp).validate_code(totp_code())
    assert authenticator_secrets_rotate() == 1
    assert TOTP_SECRET not in raw_data(totp.pk)
    assert authenticator_secrets_rotate() == 0


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_stored_secrets_and_going_back_restores_them():
    user = UserFactory(role=Role.PROGRAMME_OFFICER)
    totp = totp_enrol(user=user, secret=TOTP_SECRET)
    Authenticator.objects.filter(pk=totp.pk).update(data={"secret": TOTP_SECRET})
    executor = MigrationExecutor(connection)

    executor.migrate([("accounts", "0002_roles")])
    restored = raw_data(totp.pk)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert TOTP_SECRET in restored
    assert TOTP_SECRET not in raw_data(totp.pk)
    totp.refresh_from_db()
    assert TOTP(totp).validate_code(totp_code())
