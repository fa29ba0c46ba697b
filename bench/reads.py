"""Read latency at the scale loaded by bench/generate.py: p50/p99 per endpoint over many requests with
random parameters, and `EXPLAIN (ANALYZE, BUFFERS)` of each read's main queries.

    .venv/bin/python bench/reads.py [--database-url postgres://…/lapor_bench] [--requests 200]

Requests go through Django's in-process test client (the whole middleware stack, templates and the
ORM against the real PostgreSQL, no network and no gunicorn), one after another, so the numbers are the
server-side cost of one request; throughput under concurrency is measured with wrk in the intake bench.
The cache is Redis (`BENCH_READS_REDIS`, database 14, flushed before each endpoint), and the public
search index is built from the loaded data first (ADR 0035; BENCH_SEARCH_INDEX=0: off). The statistics
and scorecards are first sampled cold, then warmed as the worker keeps them (ADR 0027). The scale
label is the number of reports in the database (100k, 1m, 10m). Prints one JSON object per endpoint
and appends them to bench/results/reads.jsonl; plans go to bench/results/explain/<scale>/."""

import argparse
import functools
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import harness  # bench/, the script's own folder, is on sys.path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lapor_bench"
WORDS = [
    "jalan rusak",
    "sampah",
    "listrik padam",
    "pungli",
    "PDAM",
    "sekolah",
    "BPJS",
    "banjir",
    "parkir liar",
]
PUBLIC_STATUSES = ["routed", "in_progress", "responded", "closed"]


# The cache, as in a national deployment (Redis, shared by every worker); empty: each process's memory,
# which holds 300 entries, fewer than the scorecards the worker keeps warm. Flushed per endpoint.
REDIS = os.environ.get("BENCH_READS_REDIS", "redis://127.0.0.1:6379/14")


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["REDIS_URL"] = REDIS
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def scale_label(n: int) -> str:
    if n >= 1_000_000:
        return f"{round(n / 1_000_000)}m"
    return f"{round(n / 1000)}k"


class World:
    """Officers and parameter pools drawn from the loaded data."""

    def __init__(self, rng: random.Random) -> None:
        from django.db import connection

        from lapor.agencies.models import Agency, Category, Membership, Role
        from lapor.core.models import AuthToken, User

        self.rng = rng
        self.clients: dict[int, Any] = {}
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM reports_report")
            self.reports = cur.fetchone()[0]
            # Public tracking ids sampled across the table (TABLESAMPLE keeps this cheap at 10M).
            cur.execute(
                "SELECT tracking_id FROM reports_report TABLESAMPLE SYSTEM (1) "
                "WHERE NOT confidential AND verified_at IS NOT NULL AND status <> 'archived' LIMIT 2000"
            )
            self.tracking_ids = [t for (t,) in cur.fetchall()]
            # The busiest agencies: the admins whose queues are the longest.
            cur.execute(
                "SELECT agency_id FROM reports_report TABLESAMPLE SYSTEM (1) WHERE agency_id IS NOT NULL "
                "GROUP BY 1 ORDER BY count(*) DESC LIMIT 20"
            )
            busy = [pk for (pk,) in cur.fetchall()]
        self.categories = list(Category.objects.values_list("code", flat=True))
        self.provinces = [f"{n:02d}" for n in (11, 12, 31, 32, 33, 34, 35, 36, 51, 73)]
        agencies = list(Agency.objects.filter(pk__in=busy))
        self.agency_codes = [a.code for a in agencies]
        national = Agency.objects.get(kind=Agency.Kind.NATIONAL_NODE)
        self.verifier, _ = User.objects.get_or_create(username="bench-verifier")
        Membership.objects.get_or_create(user=self.verifier, agency=national, role=Role.VERIFIER)
        self.admins: list[tuple[Any, str]] = []
        for agency in agencies[:5]:
            user, _ = User.objects.get_or_create(username=f"bench-admin-{agency.code}")
            Membership.objects.get_or_create(user=user, agency=agency, role=Role.AGENCY_ADMIN)
            _, token = AuthToken.issue(user=user)
            self.admins.append((user, token))

    def client_of(self, user: Any) -> Any:
        """One signed-in client per officer, signed in once (not on every request)."""
        from django.test import Client

        if user.pk not in self.clients:
            self.clients[user.pk] = Client()
            self.clients[user.pk].force_login(user)
        return self.clients[user.pk]

    def tracking_id(self) -> str:
        return self.rng.choice(self.tracking_ids)

    def list_params(self) -> dict[str, str]:
        """One to three filters, sometimes a text search, sometimes a later page."""
        rng, params = self.rng, {}
        choices: list[tuple[str, Callable[[], str]]] = [
            ("status", lambda: rng.choice(PUBLIC_STATUSES)),
            ("category", lambda: rng.choice(self.categories)),
            ("region", lambda: rng.choice(self.provinces)),
            ("agency", lambda: rng.choice(self.agency_codes)),
            ("q", lambda: rng.choice(WORDS)),
        ]
        for key, value in rng.sample(choices, rng.randint(0, 3)):
            params[key] = value()
        if rng.random() < 0.3:
            params["page"] = str(rng.randint(2, 5))
        return params


def endpoints(world: World) -> dict[str, Callable[[Any, Any], Any]]:
    """name -> (anonymous client, officer client) -> response."""
    rng = world.rng
    sorts = ["tenggat", "terbaru", "terlama"]

    def admin() -> tuple[Any, str]:
        return rng.choice(world.admins)

    def queue_api(anon: Any, officer: Any) -> Any:
        _, token = admin()
        key = rng.choice(["masuk", "diproses", "terlambat-instansi", "dijawab"])
        params = {"page_size": "20"}
        return anon.get(f"/api/v1/queues/{key}", params, HTTP_AUTHORIZATION=f"Bearer {token}")

    def queue_list_api(anon: Any, officer: Any) -> Any:
        _, token = admin()
        params = {"status": rng.choice(["routed", "in_progress", "responded"]), "page_size": "20"}
        return anon.get("/api/v1/reports", params, HTTP_AUTHORIZATION=f"Bearer {token}")

    def queue_page(anon: Any, officer: Any) -> Any:
        user, _ = admin()
        officer = world.client_of(user)
        key = rng.choice(["masuk", "diproses", "terlambat-instansi", "dijawab"])
        return officer.get(f"/staf/antrean/{key}/", {"sort": rng.choice(sorts)})

    def verifier_queue_page(anon: Any, officer: Any) -> Any:
        return world.client_of(world.verifier).get(f"/staf/antrean/{rng.choice(['baru', 'ditunda'])}/")

    return {
        # The floor: the full middleware stack and nothing else, measured in the same run, so a slow
        # moment of this shared machine shows up here as well as in the reads.
        "floor_healthz": lambda a, o: a.get("/healthz"),
        "tracking_page": lambda a, o: a.get(f"/laporan/{world.tracking_id()}/"),
        "report_api": lambda a, o: a.get(f"/api/v1/reports/{world.tracking_id()}"),
        "public_list_page": lambda a, o: a.get("/laporan/", world.list_params()),
        "public_list_api": lambda a, o: a.get("/api/v1/reports", world.list_params()),
        "queue_api": queue_api,
        "queue_list_api": queue_list_api,
        "queue_page": queue_page,
        "verifier_queue_page": verifier_queue_page,
        "agency_scorecard_page": lambda a, o: a.get(f"/instansi/{rng.choice(world.agency_codes)}/"),
        "agency_scorecard_api": lambda a, o: a.get(
            f"/api/v1/stats/agencies/{rng.choice(world.agency_codes)}"
        ),
        "stats_page": lambda a, o: a.get("/statistik/"),
        "stats_api": lambda a, o: a.get("/api/v1/stats/overview"),
    }


# The reads the worker keeps warm in service (ADR 0027).
WARMED = ("agency_scorecard_", "stats_")


def _timed(call: Callable[[Any, Any], Any], *clients: Any) -> float:
    started = time.perf_counter()
    call(*clients)
    return (time.perf_counter() - started) * 1000


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def explain(name: str, call: Callable[[], Any], folder: Path, top: int = 3) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest queries one request of this endpoint runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    queries = [q for q in queries if q["sql"].lstrip().upper().startswith("SELECT")][:top]
    out = [f"-- {name}: {len(ctx.captured_queries)} queries in the request; the {len(queries)} slowest\n"]
    with connection.cursor() as cur:
        for q in queries:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            plan = "\n".join(row[0] for row in cur.fetchall())
            out.append(f"\n-- {q['time']} s\n{q['sql']}\n\n{plan}\n")
    (folder / f"{name}.txt").write_text("".join(out))


def _search_index(settings: Any) -> float | None:
    """As a national deployment runs (ADR 0035): the public search index, built from the data just
    loaded, answers the public list's searches and combined filters. BENCH_SEARCH_INDEX=0: PostgreSQL
    answers them; =reuse: the index a previous run built for this database, synced, not rebuilt.
    Returns the seconds the build (or sync) took."""
    mode = os.environ.get("BENCH_SEARCH_INDEX", "1")
    if mode == "0":
        settings.LAPOR_SEARCH_INDEX = ""
        return None
    from django.db import connection

    from lapor.reports import public_index

    folder = Path(tempfile.gettempdir()) / "lapor-bench" / f"search-{connection.settings_dict['NAME']}"
    settings.LAPOR_SEARCH_INDEX = str(folder)
    started = time.perf_counter()
    if mode == "reuse":
        public_index.sync()
    else:
        public_index.rebuild()
    return round(time.perf_counter() - started, 1)


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    _django(args.database_url)
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from lapor.analytics.warm import warm

    call_command("migrate", verbosity=0)  # tables added since the data was generated
    search_index_s = _search_index(settings)
    # One client sends every request: the per-IP read limit would measure the 429 page instead.
    settings.LAPOR_RATE_LIMITS = {**settings.LAPOR_RATE_LIMITS, "read": {"ip": None, "account": None}}

    rng = random.Random(args.seed)
    world = World(rng)
    scale = scale_label(world.reports)
    folder = RESULTS / "explain" / scale
    folder.mkdir(parents=True, exist_ok=True)
    anon, officer = Client(), Client()
    results = []
    date = datetime.now(UTC).isoformat(timespec="seconds")
    machine = harness.machine()  # as every benchmark records it, so the summary can tell them apart
    chosen = endpoints(world)
    for name, call in chosen.items():
        if args.only and name not in args.only:
            continue
        cache.clear()  # start cold: the first request of a cached read pays for the cache fill
        statuses: dict[int, int] = {}
        started = time.perf_counter()
        call(anon, officer)
        cold = (time.perf_counter() - started) * 1000
        warmed: dict[str, Any] = {}
        if name.startswith(WARMED):
            # In service the worker keeps these in the cache (`lapor stats warm`, ADR 0027): sample
            # some cold requests first, then warm as the worker does, and time the pass.
            cold_samples = [cold, *(_timed(call, anon, officer) for _ in range(args.cold - 1))]
            cache.clear()
            pass_started = time.perf_counter()
            warm()
            warmed = {
                "cold_p50_ms": round(statistics.median(cold_samples), 2),
                "cold_max_ms": round(max(cold_samples), 2),
                "cold_requests": len(cold_samples),
                "warm_pass_s": round(time.perf_counter() - pass_started, 2),
            }
        for _ in range(args.warmup):
            call(anon, officer)
        samples = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = call(anon, officer)
            samples.append((time.perf_counter() - started) * 1000)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        explain(name, functools.partial(call, anon, officer), folder)
        result = {
            "bench": "reads",
            "endpoint": name,
            "scale": scale,
            "reports": world.reports,
            "requests": args.requests,
            "client": "django.test.Client in-process, sequential",
            "p50_ms": round(statistics.median(samples), 2),
            "p99_ms": round(_pct(samples, 99), 2),
            "max_ms": round(max(samples), 2),
            "cold_ms": round(cold, 2),
            **warmed,
            "cache": "redis" if REDIS else "local memory",
            "search_index": "off" if search_index_s is None else f"built in {search_index_s} s (ADR 0035)",
            "statuses": statuses,
            "date": date,
            "machine": machine,
            "load_avg_1m": round(os.getloadavg()[0], 1),  # shared machine: context for the numbers
        }
        results.append(result)
        print(json.dumps(result), flush=True)
    return results


def growth(path: Path = RESULTS / "reads.jsonl") -> dict[str, Any]:
    """The latest p99 of every endpoint at every scale, and each scale's ratio to 100k."""
    latest: dict[str, dict[str, float]] = {}
    for line in path.read_text().splitlines():
        r = json.loads(line)
        latest.setdefault(r["endpoint"], {})[r["scale"]] = r["p99_ms"]
    ratios = {
        name: {scale: round(p99 / by_scale["100k"], 2) for scale, p99 in by_scale.items() if scale != "100k"}
        for name, by_scale in latest.items()
        if by_scale.get("100k")
    }
    return {"bench": "reads_growth", "p99_ms": latest, "p99_ratio_to_100k": ratios}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--cold", type=int, default=10, help="cold requests sampled before warming")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", nargs="*", help="endpoint names to run")
    parser.add_argument("--growth", action="store_true", help="only print the growth between scales")
    args = parser.parse_args()
    if args.growth:
        print(json.dumps(growth(), indent=2))
        return
    results = run(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / "reads.jsonl").open("a") as out:
        for result in results:
            out.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
