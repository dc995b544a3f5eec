"""Statuses, kinds and fixed lists of the programme, and the allowed moves of an application."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from common.moves import OWNER, MoveTable


class Track(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COMMUNITY = "community", _("Community")


class Currency(models.TextChoices):
    UAH = "UAH", _("UAH (hryvnia)")
    USD = "USD", _("USD (US dollar)")
    EUR = "EUR", _("EUR (euro)")
    PLN = "PLN", _("PLN (złoty)")


class Sector(models.TextChoices):
    INDUSTRY = "industry", _("Industry")
    AGRICULTURE = "agriculture", _("Agriculture")
    CONSTRUCTION = "construction", _("Construction")
    SERVICES = "services", _("Services")
    EDUCATION = "education", _("Education")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    """The oblasts of Ukraine, the Autonomous Republic of Crimea and the two cities with special status."""

    CHERKASY = "cherkasy", _("Cherkasy oblast")
    CHERNIHIV = "chernihiv", _("Chernihiv oblast")
    CHERNIVTSI = "chernivtsi", _("Chernivtsi oblast")
    CRIMEA = "crimea", _("Autonomous Republic of Crimea")
    DNIPROPETROVSK = "dnipropetrovsk", _("Dnipropetrovsk oblast")
    DONETSK = "donetsk", _("Donetsk oblast")
    IVANO_FRANKIVSK = "ivano_frankivsk", _("Ivano-Frankivsk oblast")
    KHARKIV = "kharkiv", _("Kharkiv oblast")
    KHERSON = "kherson", _("Kherson oblast")
    KHMELNYTSKYI = "khmelnytskyi", _("Khmelnytskyi oblast")
    KIROVOHRAD = "kirovohrad", _("Kirovohrad oblast")
    KYIV_OBLAST = "kyiv_oblast", _("Kyiv oblast")
    KYIV_CITY = "kyiv_city", _("Kyiv city")
    LUHANSK = "luhansk", _("Luhansk oblast")
    LVIV = "lviv", _("Lviv oblast")
    MYKOLAIV = "mykolaiv", _("Mykolaiv oblast")
    ODESA = "odesa", _("Odesa oblast")
    POLTAVA = "poltava", _("Poltava oblast")
    RIVNE = "rivne", _("Rivne oblast")
    SEVASTOPOL = "sevastopol", _("Sevastopol city")
    SUMY = "sumy", _("Sumy oblast")
    TERNOPIL = "ternopil", _("Ternopil oblast")
    VINNYTSIA = "vinnytsia", _("Vinnytsia oblast")
    VOLYN = "volyn", _("Volyn oblast")
    ZAKARPATTIA = "zakarpattia", _("Zakarpattia oblast")
    ZAPORIZHZHIA = "zaporizhzhia", _("Zaporizhzhia oblast")
    ZHYTOMYR = "zhytomyr", _("Zhytomyr oblast")


class Country(models.TextChoices):
    """Countries where Ukrainian labour migrants most often work; anything else is 'other'."""

    PL = "PL", _("Poland")
    IT = "IT", _("Italy")
    CZ = "CZ", _("Czech Republic")
    DE = "DE", _("Germany")
    LT = "LT", _("Lithuania")
    LV = "LV", _("Latvia")
    EE = "EE", _("Estonia")
    SK = "SK", _("Slovakia")
    HU = "HU", _("Hungary")
    PT = "PT", _("Portugal")
    ES = "ES", _("Spain")
    GB = "GB", _("United Kingdom")
    IL = "IL", _("Israel")
    US = "US", _("United States")
    OTHER = "other", _("Other country")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    REJECTED = "rejected", _("Not shortlisted")
    PLAN_SUBMITTED = "plan_submitted", _("Business plan submitted")
    INVITED_TO_DEFENSE = "invited_to_defense", _("Invited to defense")
    DEFENDED = "defended", _("Defended")
    RECOMMENDED = "recommended", _("Recommended")
    WAITLISTED = "waitlisted", _("Waitlisted")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    AWARDED = "awarded", _("Awarded")
    EQUIPMENT_DELIVERED = "equipment_delivered", _("Equipment delivered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ApplicationStatus

# The whole journey, including the moves later stages implement. Nothing else assigns a status.
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.SHORTLISTED, S.REJECTED, S.WITHDRAWN}),
    S.SHORTLISTED: frozenset({S.PLAN_SUBMITTED, S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    S.PLAN_SUBMITTED: frozenset({S.SHORTLISTED, S.INVITED_TO_DEFENSE, S.WITHDRAWN}),
    S.INVITED_TO_DEFENSE: frozenset({S.DEFENDED, S.PLAN_SUBMITTED, S.WITHDRAWN}),
    S.DEFENDED: frozenset({S.RECOMMENDED, S.WAITLISTED, S.DECLINED, S.WITHDRAWN}),
    S.RECOMMENDED: frozenset({S.APPROVED, S.DECLINED, S.WAITLISTED, S.WITHDRAWN}),
    S.WAITLISTED: frozenset({S.RECOMMENDED, S.APPROVED, S.DECLINED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.AWARDED, S.WITHDRAWN}),
    S.DECLINED: frozenset(),
    S.AWARDED: frozenset({S.EQUIPMENT_DELIVERED, S.CLOSED}),
    S.EQUIPMENT_DELIVERED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# Who may make a move, by the status it arrives at. The owner (common.moves.OWNER) is the applicant.
MOVE_ACTORS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({OWNER}),
    S.WITHDRAWN: frozenset({OWNER}),
    S.PLAN_SUBMITTED: frozenset({OWNER, Role.PROGRAMME_OFFICER}),
    S.SHORTLISTED: frozenset({Role.PROGRAMME_OFFICER}),
    S.REJECTED: frozenset({Role.PROGRAMME_OFFICER}),
    S.INVITED_TO_DEFENSE: frozenset({Role.PROGRAMME_OFFICER}),
    # The panel's chair marks a defense held; reviews.sessions.services checks that the reviewer chairs it.
    S.DEFENDED: frozenset({Role.PROGRAMME_OFFICER, Role.REVIEWER}),
    S.RECOMMENDED: frozenset({Role.PROGRAMME_OFFICER}),
    # The approver may also keep a recommended application on the waiting list (grants.decisions.services).
    S.WAITLISTED: frozenset({Role.PROGRAMME_OFFICER, Role.APPROVER}),
    S.APPROVED: frozenset({Role.APPROVER}),
    S.DECLINED: frozenset({Role.APPROVER}),
    S.AWARDED: frozenset({Role.APPROVER}),
    S.EQUIPMENT_DELIVERED: frozenset({Role.PROGRAMME_OFFICER}),
    S.CLOSED: frozenset({Role.PROGRAMME_OFFICER}),
    S.DRAFT: frozenset(),
}

APPLICATION_MOVES = MoveTable(ApplicationStatus, ALLOWED_MOVES, MOVE_ACTORS)

# Moves the applicant hears about by email and on their dashboard.
NOTIFY_APPLICANT = frozenset({S.SUBMITTED, S.SHORTLISTED, S.REJECTED, S.PLAN_SUBMITTED})
# Moves whose note reaches the applicant word for word: their emails quote it (templates/emails/status_*),
# and the rejection's is on the applicant's page. Every other note stays with the staff.
NOTE_SHOWN_TO_APPLICANT = frozenset({S.SHORTLISTED, S.REJECTED})

NEXT_STEP = {
    S.DRAFT: _("Complete every step and submit before the call closes."),
    S.SUBMITTED: _("Programme staff are checking your application against the call's rules."),
    S.SHORTLISTED: _("A consultant will contact you to help you write a business plan."),
    S.REJECTED: _("Your application was not shortlisted. The reason is shown below."),
    S.PLAN_SUBMITTED: _("Your business plan is with the programme; you will be invited to defend it."),
    S.INVITED_TO_DEFENSE: _("Prepare to present your business plan to the panel at the scheduled time."),
    S.DEFENDED: _("The panel is scoring the business plans; results follow the ranking."),
    S.RECOMMENDED: _("The panel recommended your plan; an approver will decide on the grant."),
    S.WAITLISTED: _("Your plan is on the waiting list and may be funded if budget becomes available."),
    S.APPROVED: _("Your grant is approved; your award letter is being prepared."),
    S.DECLINED: _("The grant was not awarded. The reason is in your letter."),
    S.AWARDED: _("Your award letter is below. The programme is procuring your equipment."),
    S.EQUIPMENT_DELIVERED: _("Your equipment has been handed over; the programme will follow your results."),
    S.CLOSED: _("This application is closed."),
    S.WITHDRAWN: _("You withdrew this application."),
}


class RejectionReason(models.TextChoices):
    REGION = "region", _("The region is not eligible in this call")
    SECTOR = "sector", _("The sector is not eligible in this call")
    CONTRIBUTION = "contribution", _("The planned own contribution is too small or not credible")
    MIGRATION = "migration", _("The migration experience does not meet the call's conditions")
    INCOMPLETE = "incomplete", _("The application is incomplete or inconsistent")
    DUPLICATE = "duplicate", _("Duplicate application")
    OTHER = "other", _("Other reason (see the note)")


class OfficerCheck(models.TextChoices):
    """What an officer confirms by hand while screening, beside the automatic checks."""

    IDENTITY = "identity", _("Identity and contact details are plausible")
    MIGRATION = "migration", _("Migration experience is credible")
    IDEA = "idea", _("The business idea is realistic for the sector and region")
    CONTRIBUTION = "contribution", _("The planned own contribution looks credible")
    NO_DUPLICATE = "no_duplicate", _("No duplicate application by the same person or household")


class ConsentPurpose(models.TextChoices):
    SELECTION = "selection", _("Processing my application and selecting participants")
    MONITORING = "monitoring", _("Contacting me for monitoring after the grant")
    DONOR_REPORTING = "donor_reporting", _("Pseudonymised data in reports to the donor")
    STORIES = "stories", _("My photos and my story in the programme's publications")


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an officer")
    DONE = "done", _("Data erased")
    REFUSED = "refused", _("Refused")
