"""Public statistics (`/statistik`, `/instansi/<code>`, the printable monthly report, downloads) and the
early-warning page for staff (`/staf/peringatan`). Numbers come from `lapor.analytics.selectors`
(rollups only); the reports behind an alert come through `reports.selectors` with the viewer."""

import csv
import io
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lapor.analytics import selectors
from lapor.analytics.grades import GROUPS
from lapor.analytics.models import Alert
from lapor.core.errors import ApplicationError, NotFound
from lapor.reports.presenters import report_summary, summarized
from lapor.reports.selectors import reports_visible_to
from lapor.web.context import viewer
from lapor.web.views.common import staff_required

__all__ = ["agency_page", "alerts", "download", "monthly_report", "overview"]

GROUP_LABELS = {
    "ministries": "Kementerian",
    "national_agencies": "Lembaga",
    "provinces": "Provinsi",
    "regencies": "Kabupaten",
    "cities": "Kota",
    "state_enterprises": "BUMN/Badan Publik",
}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _datasets(data: dict[str, Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every chart's table: (header, rows), shared by the page, the CSV and the XLSX."""
    out: dict[str, tuple[list[str], list[list[Any]]]] = {
        "trend": (
            ["bulan", "diterima", "didisposisi", "ditindaklanjuti", "tingkat_tindak_lanjut", "median_hari"],
            [
                [
                    t["month"],
                    t["received"],
                    t["routed"],
                    t["followed_up"],
                    t["followup_rate"],
                    t["first_followup_median_days"],
                ]
                for t in data["trend"]
            ],
        )
    }
    for name in ("by_category", "by_province", "categories", "units"):
        if name in data:
            out[name] = (
                ["kode", "nama", "diterima", "didisposisi", "tingkat_tindak_lanjut", "median_hari"],
                [
                    [
                        r["code"],
                        r.get("name", r["code"]),
                        r["received"],
                        r["routed"],
                        r["followup_rate"],
                        r["first_followup_median_days"],
                    ]
                    for r in data[name]
                ],
            )
    if "by_kind" in data:
        out["by_kind"] = (["jenis", "diterima"], [[k, v] for k, v in data["by_kind"].items()])
    if "peers" in data:
        out["peers"] = (
            [
                "peringkat",
                "kode",
                "nama",
                "nilai",
                "skor",
                "tingkat_tindak_lanjut",
                "tepat_waktu",
                "kepuasan",
            ],
            [
                [
                    p["rank"],
                    p["code"],
                    p["name"],
                    p["grade"],
                    p["score"],
                    p["followup_rate"],
                    p["followup_on_time_rate"],
                    p["satisfaction_mean"],
                ]
                for p in data["peers"]
            ],
        )
    return out


def _chart(
    key: str, table: tuple[list[str], list[list[Any]]], label_col: int, value_col: int, kind: str, title: str
) -> dict[str, Any]:
    header, rows = table
    return {
        "key": key,
        "data_id": f"chart-{key}-data",
        "title": title,
        "header": header,
        "rows": rows,
        "js": {
            "type": kind,
            "label": header[value_col],
            "labels": [str(r[label_col]) for r in rows],
            "values": [r[value_col] if r[value_col] is not None else 0 for r in rows],
        },
    }


def _load(fn: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        result: dict[str, Any] = fn(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ApplicationError:
        kwargs["period"] = None
        result = fn(**kwargs)
    return result


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period") or None
    data = _load(selectors.overview, period=period)
    table = selectors.agency_table(period=data["period"])
    sets = _datasets(data)
    charts = [
        _chart("trend", sets["trend"], 0, 1, "line", _("Laporan diterima per bulan")),
        _chart("by_category", sets["by_category"], 1, 2, "bar", _("Laporan per kategori")),
        _chart("by_kind", sets["by_kind"], 0, 1, "bar", _("Laporan per jenis")),
        _chart(
            "by_province",
            (sets["by_province"][0], sorted(sets["by_province"][1], key=lambda r: -(r[4] or 0))),
            1,
            4,
            "bar",
            _("Tingkat tindak lanjut per provinsi (peringkat)"),
        ),
    ]
    context = {
        "data": data,
        "totals": data["totals"],
        "rates": {
            k: _pct(data["totals"][k])
            for k in ("followup_rate", "followup_on_time_rate", "completion_rate", "routing_accuracy")
        },
        "charts": charts,
        "groups": [(GROUP_LABELS[g["group"]], g) for g in table["groups"]],
        "formula": data["formula"],
    }
    return render(request, "web/stats/overview.html", context)


@require_GET
def agency_page(request: HttpRequest, code: str) -> HttpResponse:
    data = _load(selectors.agency_scorecard, code=code, period=request.GET.get("period") or None)
    sets = _datasets(data)
    charts = [
        _chart("trend", sets["trend"], 0, 1, "line", _("Laporan diterima per bulan")),
        _chart("categories", sets["categories"], 1, 3, "bar", _("Laporan per kategori")),
    ]
    context = {
        "data": data,
        "kpis": data["kpis"],
        "rates": {
            k: _pct(data["kpis"][k])
            for k in (
                "followup_rate",
                "followup_on_time_rate",
                "completion_rate",
                "reopen_rate",
                "routing_accuracy",
                "satisfaction_high_share",
            )
        },
        "means": {k: _pct(v) for k, v in data["group_means"].items()},
        "group_label": GROUP_LABELS.get(data["agency"]["group"] or "", ""),
        "charts": charts,
        "formula": data["formula"],
    }
    return render(request, "web/stats/agency.html", context)


@require_GET
def monthly_report(request: HttpRequest, code: str) -> HttpResponse:
    data = _load(selectors.agency_scorecard, code=code, period=request.GET.get("period") or None)
    return render(
        request,
        "web/stats/monthly.html",
        {
            "data": data,
            "kpis": data["kpis"],
            "rates": {
                k: _pct(v) if isinstance(v, float) or v is None else v
                for k, v in data["kpis"].items()
                if k.endswith("rate") or k.endswith("share") or k == "routing_accuracy"
            },
        },
    )


@require_GET
def download(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    """A chart's table as CSV or XLSX: `?agency=<code>` for an agency's, else the national overview."""
    code, period = request.GET.get("agency"), request.GET.get("period") or None
    data = (
        _load(selectors.agency_scorecard, code=code, period=period)
        if code
        else _load(selectors.overview, period=period)
    )
    if dataset == "peers" and data.get("agency", {}).get("group"):
        # the whole peer group, where the scorecard keeps only the leaders and the agency's neighbours
        table = _load(selectors.agency_table, group=data["agency"]["group"], period=period)
        data = {**data, "peers": table["groups"][0]["agencies"]}
    sets = _datasets(data)
    if dataset not in sets or fmt not in ("csv", "xlsx"):
        raise Http404
    header, rows = sets[dataset]
    name = f"lapor-{code or 'nasional'}-{dataset}-{data['period']}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None  # nosec B101  # type narrowing; a new workbook has a sheet
        sheet.title = dataset[:31]
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@staff_required
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    alerts_ = list(Alert.objects.filter(active=True).order_by("-last_seen_at", "-id")[:50])
    # The reports of every alert in one read (newest first, as each alert lists them), not one per alert.
    wanted = {pk for alert in alerts_ for pk in alert.report_ids[:200]}
    visible = list(summarized(reports_visible_to(viewer=viewer(request)).filter(pk__in=wanted)))
    items = []
    for alert in alerts_:
        ids = set(alert.report_ids[:200])
        reports = [r for r in visible if r.pk in ids][:50]
        items.append(
            {
                "alert": alert,
                "reports": [report_summary(r) for r in reports],
                "hidden": len(alert.report_ids) - len(reports),
            }
        )
    return render(request, "web/stats/alerts.html", {"items": items, "groups": GROUPS})
