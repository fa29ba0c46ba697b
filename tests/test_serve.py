"""`lapor serve` as `make run` uses it: a real gunicorn and a real worker, on a fresh embedded database."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
        return response.status, response.read()


@pytest.mark.own_processes
def test_serve_runs_web_and_worker(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "LAPOR_TASKS"}}
    env.update(
        LAPOR_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="lapor.settings", PYTHONPATH=str(ROOT / "src")
    )
    lapor = [sys.executable, "-m", "lapor.cli"]
    subprocess.run([*lapor, "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=300)
    subprocess.run([*lapor, "collectstatic", "--noinput", "-v", "0"], env=env, check=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen(
        [*lapor, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/readyz")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.5)
        assert status == 200 and b'"ok"' in body
        status, body = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and b"LAPOR" in body
        # The worker runs beside the web server: its process is a child of `serve`
        children = subprocess.run(
            ["pgrep", "-f", "-P", str(server.pid), "lapor.cli worker"], capture_output=True, text=True
        )
        assert children.stdout.strip(), "worker not running"
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.returncode is not None


def test_wsgi_module_loads_every_view_then_freezes_its_heap(tmp_path: Path) -> None:
    """ADR 0034: a gunicorn worker's startup objects are out of the collector's sight, the URL
    configuration (every view, the API) among them."""
    env = {**os.environ, "LAPOR_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    probe = (
        "import gc, sys; import lapor.wsgi; "
        "print(gc.get_freeze_count(), 'lapor.api.routers.reports' in sys.modules, "
        "'lapor.web.views.public' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    frozen, api_loaded, views_loaded = out.stdout.split()
    assert int(frozen) > 10_000
    assert api_loaded == views_loaded == "True"
