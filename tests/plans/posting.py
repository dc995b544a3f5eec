"""What the plan editor's form posts, for tests that drive plans:plan_edit without a browser."""

from plans.enums import MONTHS, PlanSection


def plan_post_data(version, *, action: str = "save", equipment=None, contributions=None, **fields) -> dict:
    """The editor's fields as the page sends them for `version`'s stored lines, with `fields` changed.

    `equipment`/`contributions` replace the stored lines by these dicts (new rows, no ids)."""
    data = {name: getattr(version, name) or "" for name in PlanSection.values}
    for name in ("jobs_total", "jobs_women", "jobs_youth", "jobs_disability", "jobs_veterans"):
        value = getattr(version, name)
        data[name] = "" if value is None else str(value)
    for month in range(1, MONTHS + 1):
        saved = version.projection[month - 1] if len(version.projection) >= month else {}
        data[f"revenue_{month}"] = saved.get("revenue", "")
        data[f"costs_{month}"] = saved.get("costs", "")
    data.update(_lines("equipment", version.equipment_lines.all(), equipment, _equipment_row))
    data.update(_lines("contribution", version.contribution_lines.all(), contributions, _contribution_row))
    data.update({key: value for key, value in fields.items()})
    data["action"] = action
    return data


def _equipment_row(line) -> dict:
    return {
        "id": line.pk,
        "item": line.item,
        "purpose": line.purpose,
        "supplier": line.supplier,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "currency": line.currency,
        "vat_included": "on" if line.vat_included else "",
    }


def _contribution_row(line) -> dict:
    return {
        "id": line.pk,
        "kind": line.kind,
        "description": line.description,
        "amount": line.amount,
        "currency": line.currency,
    }


def _lines(prefix, stored, replacement, row) -> dict:
    rows = [row(line) for line in stored] if replacement is None else replacement
    initial = 0 if replacement is not None else len(rows)
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "40",
    }
    for index, values in enumerate(rows):
        for name, value in values.items():
            data[f"{prefix}-{index}-{name}"] = "" if value is None else value
    return data
