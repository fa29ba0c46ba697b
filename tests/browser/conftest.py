"""Playwright against a live server, driving Debian's chromium (never `playwright install`).

Skips with a clear reason when /usr/bin/chromium (or the playwright package) is missing, unless
LAPOR_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure. Screenshots go to test-artifacts/."""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run next to it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Serve on 127.0.0.1 (not "localhost"), so "nothing leaves 127.0.0.1" can be checked literally.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
REQUIRED = os.environ.get("LAPOR_REQUIRE_BROWSER") == "1"


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason} (LAPOR_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} not found: apt-get install chromium to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@dataclass
class Traffic:
    """Everything a page asked for: to prove nothing left 127.0.0.1 and to weigh pages."""

    urls: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)

    def off_site(self) -> list[str]:
        out = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in {"data", "blob", "about"}:
                continue
            if parts.hostname not in {"127.0.0.1"}:
                out.append(url)
        return out


@dataclass
class Session:
    page: Any
    base: str
    traffic: Traffic
    name: str

    def go(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def shot(self, label: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        safe = re.sub(r"[^a-z0-9_-]+", "-", f"{self.name}-{label}".lower())
        self.page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)

    def login(self, username: str, password: str = "lapor-demo") -> None:
        self.go("/akun/masuk/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()

    def text(self) -> str:
        return str(self.page.content())


@pytest.fixture
def open_session(browser: Any, live_server: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def make(name: str, *, width: int = 1280, bypass_csp: bool = False) -> Session:
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        traffic = Traffic()
        page.on("request", lambda request: traffic.urls.append(request.url))
        # A request cut short by a navigation (net::ERR_ABORTED) is not a failure of the site.
        page.on(
            "requestfailed",
            lambda request: (
                traffic.failures.append(f"{request.url} {request.failure}")
                if "ERR_ABORTED" not in (request.failure or "")
                else None
            ),
        )
        page.on(
            "console",
            lambda message: (
                traffic.csp.append(message.text)
                if "Content Security Policy" in message.text or "Refused to" in message.text
                else None
            ),
        )

        def finished(request: Any) -> None:
            try:
                sizes = request.sizes()
                traffic.sizes[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            except Exception:  # a request torn down by navigation has no sizes
                traffic.sizes.setdefault(request.url, 0)

        page.on("requestfinished", finished)
        return Session(page=page, base=live_server.url, traffic=traffic, name=name)

    yield make
    for context in contexts:
        context.close()


def run_axe(session: Session) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the current page (needs a bypass_csp session)."""
    session.page.add_script_tag(path=str(AXE))
    result = session.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]


UNLABELLED_JS = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden' && !el.disabled)
  .filter(el => !(el.labels && el.labels.length))
  .filter(el => !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id)"""
