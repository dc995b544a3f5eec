"""The reports' pages: the dashboard, the map, and the exports page with its downloads.

Every download is a POST (it writes its audit row first) and answers with the file; a refused or invalid
request stores nothing and goes back to the exports page with the reason.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.reauth import reauthentication_required_for_export
from common.exports import CSV, XLSX, csv_bytes, xlsx_sheets_bytes
from common.views import perm_required

from . import charts, iati, services
from . import exports as contents
from . import map as ukraine
from .dashboard import build
from .display import write
from .enums import ExportFormat, ExportKind, ExportVariant, MapMeasure
from .figures import COUNT, Cell
from .forms import ExportForm, FullExportForm, IatiForm, MapForm, ScopeForm
from .selectors import calls_in_scope


def _suppressed(request) -> bool:
    return not request.user.has_perm("reports.see_unsuppressed")


def _scope(request, form_class=ScopeForm):
    form = form_class(request.GET or None)
    if form.is_bound and not form.is_valid():
        if "call" in form.errors:
            messages.error(request, _("That call does not exist; every call is shown."))
        return form_class(), None
    return form, form.cleaned_data.get("call") if form.is_bound else None


@perm_required("reports.view_dashboard")
def dashboard(request):
    form, call = _scope(request)
    board = build(call, suppressed=_suppressed(request))
    chart = charts.bar_chart
    sections = [
        (board.funnel, chart(board.funnel, ["applications"], element_id="chart-funnel")),
        (board.money, chart(board.money, ["committed", "delivered"], element_id="chart-budget", include_total=True)),
        (board.jobs, chart(board.jobs, ["planned", "created"], element_id="chart-jobs")),
        (board.jobs_created, None),
        *[
            (table, chart(table, ["applications", "grants"], element_id=f"chart-{table.key}"))
            for table in board.breakdowns[1:]
        ],
    ]
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "call": call,
            "board": board,
            "headline": list(zip(board.headline.columns, board.headline.lines()[0][1], strict=True)),
            "sections": sections,
            "by_region": board.by_region,
            "map": _map(board.by_region, MapMeasure.APPLICATIONS, element_id="map-mini"),
            "can_export_full": request.user.has_perm("reports.export_full"),
        },
    )


def _map(table, measure: str, *, element_id: str) -> dict:
    column = table.column(measure)
    figures = {}
    for row, cells in table.lines():
        cell = cells[table.columns.index(column)]
        figures[row.key] = (cell.number, write(cell), cell.hidden)
    return {
        "svg": ukraine.choropleth(
            figures, title=f"{table.title}: {column.label}", element_id=element_id, labels=column.kind == COUNT
        ),
        "legend": ukraine.legend(figures, lambda value: write(Cell(value, column.kind, False))),
        "measure": column,
        "shows_hidden": any(hidden for _v, _t, hidden in figures.values()),
        "kind_is_count": column.kind == COUNT,
    }


@perm_required("reports.view_dashboard")
def ukraine_map(request):
    form, call = _scope(request, MapForm)
    measure = (form.cleaned_data.get("measure") if form.is_bound else "") or MapMeasure.APPLICATIONS
    board = build(call, suppressed=_suppressed(request))
    return render(
        request,
        "reports/map.html",
        {
            "form": form,
            "call": call,
            "board": board,
            "by_region": board.by_region,
            "map": _map(board.by_region, measure, element_id="map"),
        },
    )


@perm_required("reports.export_pseudonymised")
def exports(request):
    return render(
        request,
        "reports/exports.html",
        {
            "form": ExportForm(auto_id="pseudonymised_%s"),
            "full_form": FullExportForm(auto_id="full_%s") if request.user.has_perm("reports.export_full") else None,
            "iati_form": IatiForm(auto_id="iati_%s"),
            "suppressed": _suppressed(request),
        },
    )


def _refused(request, form) -> HttpResponse:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("reports:exports")


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _filename(kind: str, variant: str, call, extension: str) -> str:
    scope = f"{call.reference_prefix}-{call.cycle_year}" if call else "all-calls"
    return f"{kind}-{variant}-{scope}-{timezone.localdate():%Y%m%d}.{extension}"


def _export(request, form, variant: str) -> HttpResponse:
    kind, file_format, call = form.cleaned_data["kind"], form.cleaned_data["file_format"], form.cleaned_data["call"]
    if kind == ExportKind.DASHBOARD:
        found = contents.dashboard_sheets(build(call, suppressed=_suppressed(request)))
    else:
        found = contents.BUILDERS[kind](calls_in_scope(call), variant)
    if file_format == ExportFormat.CSV:
        if len(found.sheets) == 1:
            _title, header, rows = found.sheets[0]
        else:
            header, rows = contents.long_form(found.sheets)
        content, content_type = csv_bytes(header, rows), CSV
    else:
        content, content_type = xlsx_sheets_bytes(found.sheets), XLSX
    services.export_record(
        user=request.user,
        kind=kind,
        variant=variant,
        file_format=file_format,
        call=call,
        content=content,
        rows=found.rows,
        applications=found.applications,
        reason=form.cleaned_data.get("reason", ""),
    )
    return _file(content, content_type, _filename(kind, variant, call, file_format))


@require_POST
@perm_required("reports.export_pseudonymised")
def export_pseudonymised(request):
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _refused(request, form)
    return _export(request, form, ExportVariant.PSEUDONYMISED)


@require_POST
@perm_required("reports.export_full")
@reauthentication_required_for_export
def export_full(request):
    form = FullExportForm(request.POST)
    if not form.is_valid():
        return _refused(request, form)
    return _export(request, form, ExportVariant.FULL)


@require_POST
@perm_required("reports.export_pseudonymised")
def export_iati(request):
    form = IatiForm(request.POST)
    if not form.is_valid():
        return _refused(request, form)
    call = form.cleaned_data["call"]
    content = iati.activities(call)
    services.export_record(
        user=request.user,
        kind=ExportKind.IATI,
        variant=ExportVariant.PSEUDONYMISED,
        file_format="xml",
        call=call,
        content=content,
        rows=content.count(b"<transaction "),
    )
    return _file(content, "application/xml", f"iati-activities-{call.reference_prefix}-{call.cycle_year}.xml")
