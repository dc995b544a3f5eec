"""Re-encrypting stored values with the newest key (common.crypto), model by model, in batches."""

from django.db import connection, transaction

from . import crypto
from .fields import encrypted_fields


def rotate_model(model, *, batch_size: int = 500) -> tuple[int, int]:
    """Re-encrypt with the newest key every value of the model's encrypted fields that another key holds.

    Returns (rows changed, values changed). Idempotent: a value the newest key already opens is left as it
    is, so a second run changes nothing. Reads and writes the columns with SQL, in primary-key batches,
    each batch in its own transaction (a long run can be stopped and started again)."""
    fields = encrypted_fields(model)
    if not fields:
        return 0, 0
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    columns = [connection.ops.quote_name(field.column) for field in fields]
    rows_changed = values_changed = 0
    last = None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            where = f"WHERE {pk} > %s " if last is not None else ""
            cursor.execute(
                f"SELECT {pk}, {', '.join(columns)} FROM {table} {where}ORDER BY {pk} LIMIT %s",  # noqa: S608
                [last, batch_size] if last is not None else [batch_size],
            )
            batch = cursor.fetchall()
            for key, *tokens in batch:
                rotated = [
                    (column, crypto.rotate(token))
                    for column, token in zip(columns, tokens, strict=True)
                    if token and not crypto.is_current(token)
                ]
                if rotated:
                    assignments = ", ".join(f"{column} = %s" for column, _ in rotated)
                    cursor.execute(
                        f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                        [token for _, token in rotated] + [key],
                    )
                    rows_changed += 1
                    values_changed += len(rotated)
        if len(batch) < batch_size:
            return rows_changed, values_changed
        last = batch[-1][0]
