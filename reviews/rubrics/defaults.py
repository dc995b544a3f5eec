"""The 1+1 programme's default rubric: eight criteria on a 0-10 scale with anchors, so reviewers score alike."""

from decimal import Decimal

# key, weight, allows N/A, (name uk, name en), (guidance uk, guidance en), anchors low/mid/high (uk, en)
DEFAULT_CRITERIA = [
    (
        "viability",
        Decimal("20"),
        False,
        ("Життєздатність бізнесу", "Business viability"),
        (
            "Чи зможе бізнес працювати прибутково з цим обладнанням?",
            "Can the business run at a profit with this equipment?",
        ),
        (
            ("Модель не працює", "The model does not work"),
            ("Працює за сприятливих умов", "Works if things go well"),
            ("Переконлива і перевірена модель", "Convincing, tested model"),
        ),
    ),
    (
        "market",
        Decimal("15"),
        False,
        ("Ринок", "Market"),
        (
            "Чи знає заявник своїх покупців, конкурентів і ціни?",
            "Does the applicant know the customers, competitors and prices?",
        ),
        (
            ("Ринок не описано", "Market not described"),
            ("Загальний опис", "General description"),
            ("Конкретні покупці й ціни", "Named customers and prices"),
        ),
    ),
    (
        "financial_realism",
        Decimal("15"),
        False,
        ("Фінансова реалістичність", "Financial realism"),
        (
            "Чи реалістичні прогноз доходів і витрат та ціни обладнання?",
            "Are the projection and the equipment prices realistic?",
        ),
        (
            ("Цифри непослідовні", "Figures inconsistent"),
            ("Переважно обґрунтовані", "Mostly justified"),
            ("Обґрунтовані пропозиціями", "Backed by quotes"),
        ),
    ),
    (
        "own_contribution",
        Decimal("10"),
        False,
        ("Надійність власного внеску", "Credibility of own contribution"),
        ("Чи підтверджено власний внесок?", "Is the own contribution backed by evidence?"),
        (("Не підтверджено", "No evidence"), ("Частково", "Partly"), ("Повністю підтверджено", "Fully evidenced")),
    ),
    (
        "jobs",
        Decimal("10"),
        False,
        ("Створення робочих місць", "Jobs created"),
        ("Скільки робочих місць і наскільки реально?", "How many jobs, and how realistic?"),
        (("Жодного", "None"), ("Одне-два", "One or two"), ("Кілька, реалістично", "Several, realistic")),
    ),
    (
        "experience_abroad",
        Decimal("10"),
        False,
        ("Використання досвіду з-за кордону", "Use of experience from abroad"),
        (
            "Чи використовує бізнес навички й контакти, здобуті за кордоном?",
            "Does the business use skills and contacts gained abroad?",
        ),
        (("Не використовує", "Not used"), ("Частково", "Partly"), ("Основа бізнесу", "Core of the business")),
    ),
    (
        "social_impact",
        Decimal("10"),
        True,
        ("Соціальний вплив і пріоритетні групи", "Social impact and priority groups"),
        ("Користь для громади та пріоритетних груп.", "Benefit to the community and to priority groups."),
        (("Немає", "None"), ("Помірний", "Moderate"), ("Значний", "Significant")),
    ),
    (
        "sustainability",
        Decimal("10"),
        False,
        ("Сталість", "Sustainability"),
        ("Чи працюватиме бізнес після гранту?", "Will the business keep going after the grant?"),
        (
            ("Залежить від гранту", "Depends on the grant"),
            ("Ймовірно", "Likely"),
            ("Чіткий план розвитку", "Clear growth plan"),
        ),
    ),
]


def default_criterion_fields() -> list[dict]:
    """The default criteria as the fields of `reviews.models.Criterion` rows, in their order (the rubric
    service and the migration that gave earlier calls their rubric both create them from this)."""
    return [
        {
            "key": key,
            "weight": weight,
            "allows_na": allows_na,
            "position": position,
            "name_uk": names[0],
            "name_en": names[1],
            "guidance_uk": guidance[0],
            "guidance_en": guidance[1],
            "anchor_low_uk": anchors[0][0],
            "anchor_low_en": anchors[0][1],
            "anchor_mid_uk": anchors[1][0],
            "anchor_mid_en": anchors[1][1],
            "anchor_high_uk": anchors[2][0],
            "anchor_high_en": anchors[2][1],
        }
        for position, (key, weight, allows_na, names, guidance, anchors) in enumerate(DEFAULT_CRITERIA)
    ]
