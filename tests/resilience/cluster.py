"""A throwaway deployment for the fault and scale-out tests: its own PostgreSQL cluster and Redis on free
ports in a temp dir (never the shared services other people test against), gunicorn nodes and `lapor
worker`s as separate process groups, and the checks that read the outcome back from the database.

Importable without pytest so `soak.py` drives the same stack."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Any, *, timeout: float, what: str, every: float = 0.3) -> Any:
    """Poll `check` until it returns something truthy (not a timed assertion: a bound on waiting)."""
    deadline = time.monotonic() + timeout
    while True:
        with suppress(Exception):
            if result := check():
                return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        time.sleep(every)


def http(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback only)
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        raw, status = exc.read(), exc.code
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw


def _as_postgres(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    # initdb refuses root; CI and this machine run as root, so the cluster belongs to `postgres`.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    done = subprocess.run([*prefix, *args], capture_output=True, text=True, **kwargs)
    if done.returncode:
        raise RuntimeError(f"{args[0]} failed: {done.stderr[-2000:]}")
    return done


@dataclass
class Postgres:
    root: Path
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/lapor"

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        _as_postgres(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )
        self.start()
        _as_postgres(str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                     "-qc", "CREATE DATABASE lapor")  # fmt: skip

    def _ctl(self, *args: str) -> None:
        # fsync off: a throwaway cluster; restarts here are clean shutdowns, never a lost OS page cache.
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        )
        _as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
            "-w", "-t", "60", *args,
        )  # fmt: skip

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        with suppress(RuntimeError):
            self._ctl("stop", "-m", "fast")

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=lapor") as conn:
            return list(conn.execute(sql, params).fetchall())


@dataclass
class Redis:
    root: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.root), "--logfile", str(self.root / "redis.log")],
            start_new_session=True,
        )  # fmt: skip
        wait_for(self.ping, timeout=20, what="redis")

    def ping(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None


@dataclass
class Proc:
    """A process group we started: a gunicorn node (master + workers) or a `lapor worker` (+ rqworker)."""

    name: str
    popen: subprocess.Popen[bytes]
    port: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def children(self) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(self.popen.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def pids(self) -> list[int]:
        """Every process of the group (the master or loop, and its children)."""
        found = subprocess.run(["pgrep", "-g", str(self.popen.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill_group(self) -> None:
        with suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=20)

    def kill_tree(self) -> None:
        """SIGKILL the whole tree, as when its machine dies: RQ's work horse runs in a session of its
        own, so killing the process group would leave a job in flight to finish. The group is stopped
        first so nothing forks while the tree is read."""
        with suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGSTOP)
        pending, tree = [self.popen.pid], []
        while pending:
            pid = pending.pop()
            tree.append(pid)
            found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
            pending += [int(child) for child in found.stdout.split()]
        for pid in tree:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.kill_group()

    def stop(self) -> None:
        if self.popen.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill_group()
        with suppress(ProcessLookupError):  # stragglers of a master that was killed alone
            os.killpg(self.popen.pid, signal.SIGKILL)


def running(pid: int) -> bool:
    """The process exists and is not a zombie (a killed master stays one until we reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Stack:
    """One PostgreSQL, one Redis, any number of web nodes and workers, all under `root`."""

    root: Path
    pg: Postgres
    redis: Redis
    procs: list[Proc] = field(default_factory=list)
    token: str = ""  # a verifier's API token for the officers of the load
    settings: dict[str, str] = field(default_factory=dict)  # this test's own, for every process it starts

    @classmethod
    @contextmanager
    def running(cls) -> Iterator[Stack]:
        root = Path(tempfile.mkdtemp(prefix="lapor-resilience-"))
        root.chmod(0o711)  # the `postgres` user must reach its own directory inside
        stack = cls(root=root, pg=Postgres(root / "pg"), redis=Redis(root / "redis"))
        try:
            stack.pg.init()
            stack.redis.start()
            stack.lapor("migrate", "--noinput", "-v", "0")
            stack.lapor("seed", "-v", "0")
            yield stack
        finally:
            stack.stop_procs()
            stack.redis.stop()
            stack.pg.stop()
            if not os.environ.get("LAPOR_KEEP_RESILIENCE"):  # set it to read the logs after a failure
                shutil.rmtree(root, ignore_errors=True)

    def stop_procs(self) -> None:
        """Stop every node, worker and load started so far (each test starts its own)."""
        for proc in self.procs:
            proc.stop()
        self.procs.clear()

    @property
    def mail_dir(self) -> Path:
        return self.root / "mail"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LAPOR_", "DJANGO_"))}
        env.update(
            DATABASE_URL=self.pg.url,
            REDIS_URL=self.redis.url,
            LAPOR_VAR_DIR=str(self.root / "var"),
            DJANGO_SETTINGS_MODULE="lapor.settings",
            PYTHONPATH=str(ROOT / "src"),
            SECRET_KEY="resilience-test-only",
            LAPOR_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            LAPOR_EMAIL_FILE_PATH=str(self.mail_dir),
            LAPOR_OUTBOX_FLUSH_SECONDS="3",
            LAPOR_OUTBOX_LEASE_SECONDS="15",
            LAPOR_SWEEP_SECONDS="0",
            LAPOR_LOG_LEVEL="WARNING",
            # The load's citizens come through one trusted proxy hop, each with their own address.
            LAPOR_TRUSTED_PROXY_COUNT="1",
        )
        env.update(self.settings)
        env.update(extra)
        return env

    def lapor(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [str(BIN / "lapor"), *args], env=self.env(), capture_output=True, text=True, timeout=timeout
        )
        assert done.returncode == 0, done.stderr[-4000:]
        return done.stdout

    def python(self, code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + code],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        return done.stdout.strip()

    def officer_token(self) -> str:
        """A national verifier's API token: officers read the verification queue during the load."""
        return self.python(
            "from lapor.agencies.models import Agency, Membership, Role\n"
            "from lapor.core.models import AuthToken, User\n"
            "user = User.objects.create_user('verifikator-uji', email='verifikator@contoh.id')\n"
            "Membership.objects.create(user=user, agency=Agency.objects.get(code='lapor-nasional'),"
            " role=Role.VERIFIER)\n"
            "print(AuthToken.issue(user=user)[1])"
        ).splitlines()[-1]

    def start_node(self, *, workers: int = 3) -> Proc:
        port = free_port()
        log = (self.root / f"node-{port}.log").open("wb")
        popen = subprocess.Popen(
            [str(BIN / "gunicorn"), "lapor.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             "--timeout", "30", "--graceful-timeout", "5", "--no-control-socket"],
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        node = Proc(f"node-{port}", popen, port)
        self.procs.append(node)
        wait_for(lambda: http("GET", f"{node.url}/readyz")[0] == 200, timeout=60, what="gunicorn")
        return node

    def start_worker(self, name: str, *, ready: bool = True) -> Proc:
        """A `lapor worker`; with `ready`, wait until its task runner listens on the queue."""
        path = self.root / f"{name}.log"
        log = path.open("wb")
        popen = subprocess.Popen(
            [str(BIN / "lapor"), "worker"],
            # Each worker writes its own mail directory, so the test can tell who delivered what.
            env=self.env(LAPOR_EMAIL_FILE_PATH=str(self.mail_dir / name)),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        worker = Proc(name, popen)
        self.procs.append(worker)
        if ready:
            wait_for(lambda: b"Listening on" in path.read_bytes(), timeout=180, what=f"{name} to listen")
        return worker

    def locust(self, *, nodes: list[Proc], users: int, seconds: float, token: str, name: str) -> Proc:
        """Headless locust in its own process (it monkey-patches everything with gevent); its filings are
        logged to `load_log(name)`, its statistics to `<name>.json`."""
        log = (self.root / f"{name}.log").open("wb")
        popen = subprocess.Popen(
            [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "-u", str(users),
             "-r", str(users), "-t", f"{int(seconds)}s", "--stop-timeout", "160", "--only-summary",
             "--host", nodes[0].url, "--json-file", str(self.root / name)],
            env={**self.env(), "LAPOR_NODES": ",".join(n.url for n in nodes),
                 "LAPOR_OFFICER_TOKEN": token, "LAPOR_LOAD_LOG": str(self.load_log(name))},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        proc = Proc(name, popen)
        self.procs.append(proc)
        return proc

    def load_log(self, name: str) -> Path:
        return self.root / f"{name}.jsonl"

    def filings(self, name: str) -> list[dict[str, Any]]:
        path = self.load_log(name)
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def locust_stats(self, name: str) -> list[dict[str, Any]]:
        path = self.root / f"{name}.json"
        return json.loads(path.read_text()) if path.exists() else []

    def delivered(self, prefix: str) -> dict[str, list[str]]:
        """Message id -> the worker (mail directory) of each delivery, for workers named `prefix*`."""
        seen: dict[str, list[str]] = {}
        for path in self.mail_dir.glob(f"{prefix}*/*.log"):
            for line in path.read_text(errors="replace").splitlines():
                if line.startswith("X-LAPOR-Message-Id:"):
                    seen.setdefault(line.split(":", 1)[1].strip(), []).append(path.parent.name)
        return seen


# --- Reading the outcome back from the database -------------------------------------------------------

TITLE = "Uji ketahanan "  # the locustfile titles each filing with its Idempotency-Key


def stored_by_key(pg: Postgres) -> dict[str, list[str]]:
    """Idempotency-Key -> tracking ids of the reports stored for it (exactly one is the goal)."""
    found: dict[str, list[str]] = {}
    rows = pg.query("SELECT title, tracking_id FROM reports_report WHERE title LIKE %s", TITLE + "%")
    for title, tracking_id in rows:
        found.setdefault(title.removeprefix(TITLE), []).append(tracking_id)
    return found


def half_written(pg: Postgres) -> list[tuple[Any, ...]]:
    """Load-test reports missing any part that `report_submit` writes in its one transaction: the
    identity, the `submit` event as the first and only event, the frozen policy and first deadlines,
    and the receipt in the outbox."""
    return pg.query(
        """
        SELECT r.tracking_id, ids.n, first.action, events.n, outbox.n
        FROM reports_report r
        LEFT JOIN LATERAL (SELECT count(*) n FROM reports_reporteridentity i WHERE i.report_id = r.id) ids
            ON true
        LEFT JOIN LATERAL (SELECT e.action FROM reports_timelineevent e WHERE e.report_id = r.id
                           ORDER BY e.created_at, e.id LIMIT 1) first ON true
        LEFT JOIN LATERAL (SELECT count(*) n FROM reports_timelineevent e WHERE e.report_id = r.id) events
            ON true
        LEFT JOIN LATERAL (SELECT count(*) n FROM notifications_outboxmessage o
                           JOIN reports_reporteridentity i ON i.email = o.address
                           WHERE i.report_id = r.id) outbox ON true
        WHERE r.title LIKE %s AND NOT (
            ids.n = 1 AND first.action = 'submit' AND events.n = 1 AND outbox.n = 1
            AND r.status = 'submitted' AND r.verify_due_at IS NOT NULL AND r.due_at = r.verify_due_at
            AND r.sla_policy::text NOT IN ('{}', 'null')
        )
        """,
        TITLE + "%",
    )


def reporter_email(key: str) -> str:
    return f"warga-{key[:8]}@contoh.id"  # as the locustfile writes it


def outbox_of(pg: Postgres, keys: list[str]) -> list[tuple[Any, ...]]:
    """(id, state, created_at, sent_at, attempts) of every message to the reporters of these filings."""
    return pg.query(
        "SELECT id::text, state, created_at, sent_at, attempts FROM notifications_outboxmessage "
        "WHERE address = ANY(%s)",
        [reporter_email(key) for key in keys],
    )


def db_now(pg: Postgres) -> Any:
    return pg.query("SELECT now()")[0][0]


@pytest.fixture(scope="package")
def stack() -> Iterator[Stack]:
    """One PostgreSQL and one Redis of our own, migrated and seeded once for the package; each test
    starts (and stops) its own web nodes, workers and load."""
    with Stack.running() as running:
        running.token = running.officer_token()
        yield running


@pytest.fixture
def cluster(stack: Stack) -> Iterator[Stack]:
    """The package's stack, with whatever this test started stopped after it."""
    try:
        yield stack
    finally:
        stack.stop_procs()
        stack.settings.clear()


def check_filings(stack: Stack, name: str) -> list[str]:
    """Every filing of load `name` answered 2xx is stored exactly once under its key, with the tracking
    id it was answered with; no key stored twice; none given up; no report half-written. Returns the
    accepted keys."""
    filings = stack.filings(name)
    accepted = {f["key"]: f["tracking_id"] for f in filings if "tracking_id" in f}
    given_up = [f for f in filings if f.get("gave_up")]
    assert not given_up, f"filings given up: {given_up}"
    assert len(accepted) == len([f for f in filings if "tracking_id" in f]), "a key answered twice"
    stored = stored_by_key(stack.pg)
    wrong = {key: (tid, stored.get(key)) for key, tid in accepted.items() if stored.get(key) != [tid]}
    assert not wrong, f"accepted but not stored exactly once: {wrong}"
    twice = {key: ids for key, ids in stored.items() if len(ids) > 1}
    assert not twice, f"stored twice: {twice}"
    broken = half_written(stack.pg)
    assert not broken, f"half-written reports: {broken}"
    return list(accepted)
