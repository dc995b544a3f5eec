"""Award letters of one call, through the real task code path, against naive WeasyPrint.

The call has N approved grants (varied names, regions, 1 to 5 equipment lines, Ukrainian- and
English-first letters). A batch issues their letters (`grants.letters.services.letters_batch_start`), and the
batch task runs in this process exactly as a worker runs it (`grants.letters.tasks.letters_batch_run`: chunks,
each letter composed by grants.letters.compose over pieces WeasyPrint laid out once, stored with its hash, the
application moved to awarded, the letter emailed as an attachment). The first run starts cold (fonts
subset, pieces laid out); later runs find them cached, as a long-running worker does. Timed from the
batch task's start to the last letter stored and emailed; the letters are reset to pending between runs.

The baseline renders the same letters naively (`grants.letters.documents.render_letter_naive`: one
`HTML(...).write_pdf()` with a fresh font configuration per letter), on a sample of BASELINE_SAMPLE
letters per run. Both are run RUNS times, alternating, and the medians are printed:

    award_letters n=<N> per_s=<letters a second> baseline_per_s=<naive, same run> ratio=<per_s / baseline>

That line is single-process on both sides; `composed=` after it counts the stored letters that were
composed rather than laid out in full (a check that the fast path was the one measured). A second line
runs the same chunks the way the deployed worker does (`--concurrency 2`, docker-compose.yml): two
forked processes each executing `grants.letters.tasks.letters_render_chunk` on the chunks the batch task queued:

    award_letters_worker concurrency=2 n=<N> per_s=<letters a second>

Target (issue 5): ratio >= 10 and per_s >= 10.
"""

import os
import random
import statistics
import time
from decimal import Decimal

N = int(os.environ.get("BENCH_LETTERS", "200"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
BASELINE_SAMPLE = 10

FIRST_NAMES = ["Оксана", "Тарас", "Ірина", "Богдан", "Наталія", "Андрій", "Галина", "Юрій", "Олена", "Степан"]
LAST_NAMES = ["Петренко", "Мельник", "Шевчук", "Коваленко", "Бондаренко", "Ткаченко", "Кравчук", "Олійник"]
ITEMS = [
    ("Сироварня на 200 л", Decimal("1800.00")),
    ("Прес гідравлічний", Decimal("950.00")),
    ("Холодильна камера", Decimal("1200.00")),
    ("Деревообробний верстат", Decimal("1400.00")),
    ("Швейна машина промислова", Decimal("600.00")),
    ("Бетонозмішувач 180 л", Decimal("420.00")),
    ("Ноутбук для обліку", Decimal("700.00")),
]


def _setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench._settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _approved_call(n: int):
    """A call with `n` approved grants, made through the real services from recommended applications."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role
    from applications.enums import ApplicationStatus, Region
    from applications.models import Application, Call, Programme
    from grants.decisions.services import grant_approve
    from plans.enums import VersionStatus
    from plans.models import BusinessPlan, ContributionLine, EquipmentLine, PlanVersion

    rng = random.Random(5)
    now = timezone.now()
    today = timezone.localdate()
    programme = Programme.objects.create(name_uk="Програма «1+1»", name_en="The 1+1 programme", donor="Донор")
    call = Call.objects.create(
        programme=programme,
        title_uk="Обладнання для власної справи 2021",
        title_en="Equipment for your own business 2021",
        cycle_year=2021,
        budget_envelope=Decimal(4000 * n),
        opens_at=now - timezone.timedelta(days=90),
        closes_at=now - timezone.timedelta(days=30),
    )
    approver = User.objects.create_user(email="approver@bench.example", first_name="Марта", last_name="Коваль")
    approver.groups.add(Group.objects.get(name=Role.APPROVER))
    regions = list(Region.values)
    for number in range(1, n + 1):
        applicant = User.objects.create_user(email=f"applicant{number}@bench.example")
        application = Application.objects.create(
            call=call,
            applicant=applicant,
            status=ApplicationStatus.RECOMMENDED,
            reference=f"1P1-2021-{number:04d}",
            language="en" if number % 4 == 0 else "uk",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            patronymic="Іванівна" if number % 2 else "",
            region=rng.choice(regions),
            settlement="Стрий",
            hromada="Стрийська",
            submitted_at=now,
        )
        lines = rng.sample(ITEMS, rng.randint(1, 5))
        equipment_usd = sum((price for _, price in lines), Decimal("0.00"))
        grant_usd = min(equipment_usd, Decimal("4000.00"))
        version = PlanVersion.objects.create(
            plan=BusinessPlan.objects.create(application=application),
            number=1,
            status=VersionStatus.SUBMITTED,
            submitted_at=now,
            rates_date=today,
            equipment_usd=equipment_usd,
            own_cash_usd=grant_usd,
            own_in_kind_usd=Decimal("0.00"),
            own_counted_usd=grant_usd,
            grant_usd=grant_usd,
            match_ratio=Decimal("1.00"),
            cap_usd=Decimal("4000.00"),
        )
        EquipmentLine.objects.bulk_create(
            EquipmentLine(
                version=version,
                item=item,
                supplier="ТОВ «Агромаш»",
                unit_price=price,
                currency="USD",
                usd_per_unit=Decimal("1"),
                rate_date=today,
                total_usd=price,
            )
            for item, price in lines
        )
        ContributionLine.objects.create(
            version=version,
            description="Заощадження",
            amount=grant_usd,
            currency="USD",
            usd_per_unit=Decimal("1"),
            rate_date=today,
            amount_usd=grant_usd,
        )
        grant_approve(application=application, actor=approver)
    return call, approver


def _issue(call, officer) -> tuple[object, float]:
    """The first run: the batch issues the letters and, as it commits, runs in this process."""
    from grants.enums import LetterKind
    from grants.letters.services import letters_batch_start

    started = time.perf_counter()
    batch = letters_batch_start(call=call, kind=LetterKind.AWARD, actor=officer)
    return batch, _checked(batch, time.perf_counter() - started)


def _reissue(batch, officer) -> float:
    """Later runs: the same letters set back to pending, and the batch resumed."""
    from grants.enums import LetterStatus
    from grants.letters.services import letters_batch_resume

    batch.letters.update(status=LetterStatus.PENDING, file="", sha256="", rendered_at=None, emailed_at=None)
    _empty_outbox()
    started = time.perf_counter()
    letters_batch_resume(batch=batch, actor=officer)
    return _checked(batch, time.perf_counter() - started)


def _empty_outbox() -> None:
    """A real mail backend keeps nothing once sent; the test outbox would keep every run's letters (81 KB
    each) in memory and slow each run after it."""
    from django.core import mail

    mail.outbox = []


def _checked(batch, seconds: float) -> float:
    from grants.enums import LetterStatus

    assert batch.letters.filter(status=LetterStatus.READY).count() == batch.letters.count() == N
    return seconds


def _render_chunk(letter_ids: list[int]) -> int:
    from grants.letters.tasks import letters_render_chunk

    return len(letters_render_chunk(letter_ids))


def _reissue_in_two_processes(batch) -> float:
    """The pending letters' chunks shared by two forked processes, as a prefork worker of concurrency 2."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from django.conf import settings
    from django.db import connections

    from grants.enums import LetterStatus

    batch.letters.update(status=LetterStatus.PENDING, file="", sha256="", rendered_at=None, emailed_at=None)
    ids = list(batch.letters.order_by("pk").values_list("pk", flat=True))
    size = settings.LETTER_BATCH_CHUNK
    chunks = [ids[start : start + size] for start in range(0, len(ids), size)]
    connections.close_all()
    started = time.perf_counter()
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        stored = sum(pool.map(_render_chunk, chunks))
    seconds = time.perf_counter() - started
    assert stored == N, f"{N - stored} letters fell back to one-by-one rendering"
    return _checked(batch, seconds)


def _composed(batch) -> int:
    """Stored letters that carry the composer's embedded faces, i.e. were not laid out in full."""
    count = 0
    for letter in batch.letters.all():
        with letter.file.open("rb") as handle:
            count += b"/OPOLRG+" in handle.read()
    return count


def _run_naive(figures) -> float:
    from grants.letters.documents import render_letter_naive

    started = time.perf_counter()
    for letter in figures:
        render_letter_naive(letter)
    return (time.perf_counter() - started) / len(figures)


def main() -> None:
    _setup()
    from django.core import mail

    from grants.letters.documents import LetterFigures

    call, approver = _approved_call(N)
    mail.outbox = []
    batch, seconds = _issue(call, approver)
    assert len(mail.outbox) == N
    sample = [LetterFigures.from_json(letter.figures) for letter in batch.letters.order_by("pk")[:BASELINE_SAMPLE]]
    batch_seconds = [seconds]
    naive_seconds = [_run_naive(sample)]
    for _ in range(RUNS - 1):
        batch_seconds.append(_reissue(batch, approver))
        naive_seconds.append(_run_naive(sample))
    per_s = N / statistics.median(batch_seconds)
    baseline_per_s = 1 / statistics.median(naive_seconds)
    print(
        f"award_letters n={N} per_s={per_s:.1f} baseline_per_s={baseline_per_s:.2f} ratio={per_s / baseline_per_s:.1f}"
        f" composed={_composed(batch)}/{N}"
    )
    parallel_seconds = [_reissue_in_two_processes(batch) for _ in range(RUNS)]
    print(f"award_letters_worker concurrency=2 n={N} per_s={N / statistics.median(parallel_seconds):.1f}")
    print(
        "  runs: batch s "
        + " ".join(f"{s:.2f}" for s in batch_seconds)
        + " | two processes s "
        + " ".join(f"{s:.2f}" for s in parallel_seconds)
        + " | naive s/letter "
        + " ".join(f"{s:.3f}" for s in naive_seconds)
    )


if __name__ == "__main__":
    main()
