"""When reports fall due and when the retention period ends: calendar months after the handover, pure."""

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """The same day `months` calendar months later, or the month's last day when it is shorter:
    31 August + 6 months = 28 (or 29) February."""
    if months < 0:
        raise ValueError("Months after the handover cannot be negative.")
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_dates(handed_over_on: date, months: list[int]) -> list[tuple[int, date]]:
    return [(month, add_months(handed_over_on, month)) for month in months]
