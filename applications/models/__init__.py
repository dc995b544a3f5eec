"""The models of calls and applications, by concern; every name is importable from `applications.models`."""

from ..enums import ConsentPurpose, ErasureStatus
from .applications import (
    PRIORITY_INDEX,
    Application,
    ApplicationPriorityIndex,
    ApplicationQuerySet,
    ApplicationStatusChange,
    Consent,
    EquipmentItem,
    Message,
)
from .audit import AccessLogEntry, ErasureRequest
from .calls import (
    MONEY,
    ZERO,
    Bilingual,
    Call,
    CallQuerySet,
    ConsentNotice,
    PriorityGroup,
    Programme,
    _all_currencies,
    _all_regions,
    _all_sectors,
    _private_storage,
)

__all__ = [
    "MONEY",
    "PRIORITY_INDEX",
    "ZERO",
    "AccessLogEntry",
    "Application",
    "ApplicationPriorityIndex",
    "ApplicationQuerySet",
    "ApplicationStatusChange",
    "Bilingual",
    "Call",
    "CallQuerySet",
    "Consent",
    "ConsentNotice",
    "ConsentPurpose",
    "EquipmentItem",
    "ErasureRequest",
    "ErasureStatus",
    "Message",
    "PriorityGroup",
    "Programme",
    "_all_currencies",
    "_all_regions",
    "_all_sectors",
    "_private_storage",
]
