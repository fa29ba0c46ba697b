"""The last step of `make bench`: gather the latest result of every benchmark into
bench/results/summary.json (committed), with the date and the machine, and check the targets of the
performance issue. A number whose benchmark has not run is null, and its target reads "not measured".

    python bench/summary.py       # writes results/summary.json and prints it

Sources: results/intake.jsonl (the latest complete run: intake, floor, peer, tracking page, queue API
at 100k, memory, all from one session, so its ratios are too), results/reads.jsonl (p99 per endpoint
and scale), results/growth.jsonl (the growth 100k -> 10M, from alternating passes; without it, the
latest p99s of reads.jsonl), results/sweep.jsonl (the deadline sweep over 1M open reports).

`machine` is where the summary was written. Each figure keeps the date and the machine of its own
result line (`measured`), because a benchmark that did not run again keeps an earlier run's figure,
perhaps from another machine; `one_machine` says whether they all match this one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

SUMMARY = harness.RESULTS / "summary.json"
SCALES = ("100k", "1m", "10m")
MACHINE_KEYS = ("cpu_model", "cores", "ram_gib")


def _lines(name: str) -> list[dict[str, Any]]:
    path = harness.RESULTS / f"{name}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _latest_reads() -> dict[tuple[str, str], dict[str, Any]]:
    """The latest result per (endpoint, scale): later lines replace earlier ones."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in _lines("reads"):
        if "endpoint" in row and "scale" in row and row.get("p99_ms") is not None:
            latest[(row["endpoint"], str(row["scale"]).lower())] = row
    return latest


def _slowest(reads: dict[tuple[str, str], dict[str, Any]], scale: str, prefix: str) -> dict[str, Any] | None:
    """The API and the page of one read (national statistics, agency scorecards): the slower of them."""
    rows = [r for (e, s), r in reads.items() if s == scale and e.startswith(prefix)]
    return max(rows, key=lambda r: float(r["p99_ms"])) if rows else None


def _p99_of(row: dict[str, Any] | None) -> float | None:
    return round(float(row["p99_ms"]), 1) if row else None


def _growth(reads: dict[tuple[str, str], dict[str, Any]]) -> tuple[float | None, str | None]:
    """Largest p99 ratio 10M / 100k over the reads measured at both scales. `floor_healthz` is not a
    read of reports but the client's own baseline, a fraction of a millisecond at every scale."""
    worst: tuple[float | None, str | None] = (None, None)
    for (endpoint, scale), row in reads.items():
        if scale != "10m" or (endpoint, "100k") not in reads or endpoint.startswith("floor"):
            continue
        base = float(reads[(endpoint, "100k")]["p99_ms"])
        ratio = float(row["p99_ms"]) / base if base else None
        if ratio is not None and (worst[0] is None or ratio > worst[0]):
            worst = (round(ratio, 2), endpoint)
    return worst


def _sweep_1m() -> tuple[float | None, dict[str, Any] | None]:
    """The latest sweep over 1M open reports: its seconds, and its result line."""
    for row in reversed(_lines("sweep")):
        scale = str(row.get("scale", "")).lower()
        n = row.get("open_reports") or row.get("reports") or 0
        if scale == "1m" or (isinstance(n, int) and n >= 1_000_000):
            for key in ("sweep_s", "seconds", "elapsed_s", "duration_s"):
                if isinstance(row.get(key), int | float):
                    return round(float(row[key]), 1), row
    return None, None


def _source(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """When and on what a figure was measured, from its own result line: a benchmark that did not run
    again keeps the date and the machine of the run that did, which may not be this one. Lines written
    before every benchmark recorded `harness.machine()` describe it as a string."""
    if not row:
        return None
    machine = row.get("machine")
    if isinstance(machine, dict):
        machine = {key: machine.get(key) for key in MACHINE_KEYS}
    return {"date": row.get("date"), "machine": machine}


def _one_machine(here: dict[str, Any], sources: list[dict[str, Any] | None]) -> bool:
    """Every figure measured on a machine like this one (same processor, cores and memory)."""
    this = {key: here.get(key) for key in MACHINE_KEYS}
    return all(source["machine"] == this for source in sources if source is not None)


def _target(value: float | None, ok: bool) -> str:
    if value is None:
        return "not measured"
    return "met" if ok else "missed"


def _latest_complete_intake() -> dict[str, Any]:
    """The latest intake run that measured the peer too, since the ratios need both from one session;
    a partial run (`--no-peer`, a before/after pair) never replaces it. Else the latest run at all."""
    runs = _lines("intake")
    complete = [run for run in runs if (run.get("peer") or {}).get("submit_rps") and run.get("floor")]
    return (complete or runs or [{}])[-1]


def build() -> dict[str, Any]:
    intake = _latest_complete_intake()
    peer = intake.get("peer") or {}
    reads = _latest_reads()
    growth_runs = _lines("growth")
    alternating = growth_runs[-1] if growth_runs else None
    growth, growth_endpoint = (
        (alternating["growth_max"], alternating["growth_max_endpoint"]) if alternating else _growth(reads)
    )

    def rps(part: str) -> float | None:
        value = (intake.get(part) or {}).get("rps")
        return round(float(value), 1) if value is not None else None

    queue_100k = rps("queue") if "100000" in str(intake.get("reads_dataset", "")) else None
    queue_1m, queue_10m = reads.get(("queue_api", "1m")), reads.get(("queue_api", "10m"))
    stats, scorecard = _slowest(reads, "10m", "stats_"), _slowest(reads, "10m", "agency_scorecard_")
    sweep_s, sweep = _sweep_1m()
    here = {k: v for k, v in harness.machine().items() if k != "loadavg_1m"}
    measured = {
        "intake, floor, peer, tracking, queue at 100k, memory": _source(intake),
        "queue_p99_ms_1m": _source(queue_1m),
        "queue_p99_ms_10m": _source(queue_10m),
        "stats_p99_ms_10m": _source(stats),
        "scorecard_p99_ms_10m": _source(scorecard),
        "read_growth_max": _source(alternating),
        "sweep_s_1m": _source(sweep),
    }
    out: dict[str, Any] = {
        "date": harness.now_iso(),
        # where this summary was written; `measured` says where each figure was
        "machine": here,
        "measured": measured,
        "one_machine": _one_machine(here, list(measured.values())),
        "intake_rps": rps("intake"),
        "intake_p99_ms": (intake.get("intake") or {}).get("p99_ms"),
        "floor_rps": rps("floor"),
        "peer_submit_rps": peer.get("submit_rps"),
        "tracking_rps": rps("tracking"),
        "peer_view_rps": peer.get("view_rps"),
        "queue_rps_100k": queue_100k,
        "peer_list_rps_100k": peer.get("list_rps_100k"),
        "queue_p99_ms_1m": _p99_of(queue_1m),
        "queue_p99_ms_10m": _p99_of(queue_10m),
        "stats_p99_ms_10m": _p99_of(stats),
        "scorecard_p99_ms_10m": _p99_of(scorecard),
        "read_growth_max": growth,
        "read_growth_max_endpoint": growth_endpoint,
        "read_growth_from": f"bench/growth.py: {alternating['passes']} passes, {alternating['date']}"
        if alternating
        else "the latest p99 of each read at 100k and 10M in reads.jsonl",
        "sweep_s_1m": sweep_s,
        "web_rss_mb": intake.get("web_rss_mb"),
        "worker_rss_mb": (intake.get("worker") or {}).get("worker_rss_mb_max"),
        "intake_server_cpu_ms_per_req": (intake.get("intake") or {}).get("server_cpu_ms_per_req"),
        "floor_server_cpu_ms_per_req": (intake.get("floor") or {}).get("server_cpu_ms_per_req"),
        "reads_dataset": intake.get("reads_dataset"),
        "reads_cache": intake.get("reads_cache"),
        "intake_run": {
            "date": intake.get("date"),
            "loadavg_1m": (intake.get("machine") or {}).get("loadavg_1m"),
            # every counted run, not only the median: the spread is part of the result on a shared machine
            "intake_rps_runs": (intake.get("intake") or {}).get("rps_runs"),
            "floor_rps_runs": (intake.get("floor") or {}).get("rps_runs"),
            # ADR 0033: through the journal, intake_rps counts reports written out; accepted is wrk's rate
            "intake_path": (intake.get("settings") or {}).get("intake_path", "direct"),
            "intake_accepted_rps": (intake.get("intake") or {}).get("accepted_rps"),
        },
    }

    def ratio(a: str, b: str) -> float | None:
        x, y = out.get(a), out.get(b)
        return round(x / y, 2) if x and y else None

    out["ratios"] = {
        "intake_vs_peer_submit": ratio("intake_rps", "peer_submit_rps"),
        "intake_vs_floor": ratio("intake_rps", "floor_rps"),
        "tracking_vs_peer_view": ratio("tracking_rps", "peer_view_rps"),
        "queue_vs_peer_list_100k": ratio("queue_rps_100k", "peer_list_rps_100k"),
    }
    r = out["ratios"]
    out["targets"] = {
        "intake >= 3x peer submit": _target(
            r["intake_vs_peer_submit"], (r["intake_vs_peer_submit"] or 0) >= 3
        ),
        "intake >= 0.5x floor": _target(r["intake_vs_floor"], (r["intake_vs_floor"] or 0) >= 0.5),
        "tracking >= 3x peer view": _target(
            r["tracking_vs_peer_view"], (r["tracking_vs_peer_view"] or 0) >= 3
        ),
        "queue >= 100x peer list at 100k": _target(
            r["queue_vs_peer_list_100k"], (r["queue_vs_peer_list_100k"] or 0) >= 100
        ),
        "queue p99 < 50 ms at 1M": _target(out["queue_p99_ms_1m"], (out["queue_p99_ms_1m"] or 0) < 50),
        "queue p99 < 100 ms at 10M": _target(out["queue_p99_ms_10m"], (out["queue_p99_ms_10m"] or 0) < 100),
        "stats p99 < 100 ms at 10M": _target(out["stats_p99_ms_10m"], (out["stats_p99_ms_10m"] or 0) < 100),
        "scorecard p99 < 100 ms at 10M": _target(
            out["scorecard_p99_ms_10m"], (out["scorecard_p99_ms_10m"] or 0) < 100
        ),
        "no read grows > 1.5x 100k->10M": _target(
            out["read_growth_max"], (out["read_growth_max"] or 0) <= 1.5
        ),
        "sweep of 1M open < 60 s": _target(out["sweep_s_1m"], (out["sweep_s_1m"] or 0) < 60),
        "web worker < 200 MB": _target(out["web_rss_mb"], (out["web_rss_mb"] or 0) < 200),
    }
    return out


def main() -> int:
    summary = build()
    harness.RESULTS.mkdir(parents=True, exist_ok=True)
    SUMMARY.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
