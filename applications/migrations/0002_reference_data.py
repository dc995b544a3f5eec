from django.db import migrations

PRIORITY_GROUPS = [
    ("returned_migrant", "Повернений трудовий мігрант", "Returned labour migrant", False),
    ("migrant_family", "Член родини трудового мігранта", "Family member of a labour migrant", False),
    ("idp", "Внутрішньо переміщена особа", "Internally displaced person", True),
    ("veteran", "Ветеран / ветеранка", "Veteran", True),
    ("disability", "Особа з інвалідністю", "Person with a disability", True),
    ("survivor", "Особа, яка постраждала від торгівлі людьми або насильства",
     "Survivor of trafficking or violence", True),
    ("youth", "Молодь до 35 років", "Young person under 35", False),
]

NOTICES = [
    (
        "selection", True,
        "Я погоджуюся, щоб програма «1+1» обробляла мої персональні дані, наведені в цій заявці, "
        "виключно для розгляду заявки та відбору учасників. Доступ до даних мають лише працівники програми, "
        "яким це потрібно для роботи. Дані зберігаються протягом строку програми та 5 років після неї, "
        "потім знеособлюються. Я можу отримати копію своїх даних і відкликати згоду.",
        "I agree that the 1+1 programme processes the personal data in this application only to assess it "
        "and select participants. Only programme staff who need it for their work can see it. The data are "
        "kept for the programme's duration and 5 years after, then anonymised. I can get a copy of my data "
        "and withdraw my consent.",
    ),
    (
        "monitoring", False,
        "Я погоджуюся, щоб програма зв'язувалася зі мною після отримання гранту для моніторингу результатів.",
        "I agree that the programme contacts me after the grant to monitor the results.",
    ),
    (
        "donor_reporting", False,
        "Я погоджуюся, щоб мої дані у знеособленому вигляді включалися у звіти для донора програми.",
        "I agree that my data, pseudonymised, are included in reports to the programme's donor.",
    ),
]


def load(apps, schema_editor):
    PriorityGroup = apps.get_model("applications", "PriorityGroup")
    ConsentNotice = apps.get_model("applications", "ConsentNotice")
    for position, (code, name_uk, name_en, sensitive) in enumerate(PRIORITY_GROUPS):
        PriorityGroup.objects.get_or_create(
            code=code, defaults={"name_uk": name_uk, "name_en": name_en, "sensitive": sensitive, "position": position}
        )
    for purpose, required, text_uk, text_en in NOTICES:
        ConsentNotice.objects.get_or_create(
            purpose=purpose, version="2021.1",
            defaults={"text_uk": text_uk, "text_en": text_en, "required": required},
        )


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
