"""The load of the fault, scale-out and soak runs: citizens file and track reports, verifiers read their
queue. Run by locust in its own process (never imported by pytest: locust patches everything with gevent).

Environment: LAPOR_NODES (comma-separated base URLs; a client that cannot reach one moves to the next,
as behind a load balancer), LAPOR_OFFICER_TOKEN (a verifier's API token), LAPOR_LOAD_LOG (JSON lines:
every filing answered 2xx with its key and tracking id, and any filing given up)."""

import itertools
import json
import os
import random
import time
import uuid
from typing import Any

from locust import HttpUser, between, task

NODES = [url for url in os.environ.get("LAPOR_NODES", "").split(",") if url]
LOG = os.environ.get("LAPOR_LOAD_LOG", "filings.jsonl")
TOKEN = os.environ.get("LAPOR_OFFICER_TOKEN", "")
GIVE_UP_AFTER = float(os.environ.get("LAPOR_GIVE_UP_SECONDS", "150"))
_order = itertools.count()


def address(key: str) -> str:
    """Each filing comes from its own citizen: an address behind the (trusted) proxy, derived from the
    key so a retry comes from the same citizen. The per-address rate limits stay on."""
    n = uuid.UUID(key).int
    return f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{(n >> 16) % 250 + 1}"


def log(entry: dict[str, Any]) -> None:
    with open(LOG, "a") as out:
        out.write(json.dumps(entry) + "\n")


class _Client(HttpUser):
    abstract = True
    host = NODES[0] if NODES else "http://127.0.0.1:8000"

    def on_start(self) -> None:
        self.node = next(_order) % max(len(NODES), 1)

    def url(self, path: str) -> str:
        return (NODES[self.node] if NODES else self.host) + path

    def fail_over(self) -> None:
        self.node = (self.node + 1) % max(len(NODES), 1)


class Citizen(_Client):
    wait_time = between(0.3, 1.0)

    def on_start(self) -> None:
        super().on_start()
        self.mine: list[tuple[str, str, str]] = []
        self.ip = address(str(uuid.uuid4()))

    @task(3)
    def file(self) -> None:
        """One filing under one Idempotency-Key, retried with the same key and body on a connection
        error, a 5xx or a 409 (the first attempt still running) until answered."""
        key = str(uuid.uuid4())
        body = {
            "title": f"Uji ketahanan {key}",
            "body": "Lampu jalan di depan sekolah padam sejak seminggu lalu, anak-anak pulang dalam gelap. "
            + key,
            "reporter_name": "Warga Uji",
            "reporter_email": f"warga-{key[:8]}@contoh.id",
        }
        started, attempts, pause = time.monotonic(), 0, 0.5
        while True:
            attempts += 1
            with self.client.post(
                self.url("/api/v1/reports"),
                json=body,
                headers={"Idempotency-Key": key, "X-Forwarded-For": address(key)},
                name="POST /api/v1/reports",
                catch_response=True,
            ) as response:
                status = response.status_code
                if status in (200, 201):
                    data = response.json()
                    response.success()
                    replayed = response.headers.get("Idempotent-Replayed") == "true"
                    log({"key": key, "tracking_id": data["tracking_id"], "status": status,
                         "attempts": attempts, "replayed": replayed, "node": self.node})  # fmt: skip
                    self.mine.append((data["tracking_id"], data.get("access_code") or "", address(key)))
                    return
                response.failure(f"{status}")
            if status == 0 or status >= 500:
                self.fail_over()
            elif status == 429:  # a well-behaved client waits as told
                pause = float(response.headers.get("Retry-After") or pause)
            elif status != 409:  # a 4xx other than "still running" will not change on retry
                log({"key": key, "gave_up": True, "status": status, "attempts": attempts})
                return
            if time.monotonic() - started > GIVE_UP_AFTER:
                log({"key": key, "gave_up": True, "status": status, "attempts": attempts})
                return
            time.sleep(pause)
            pause = min(pause * 2, 5.0)

    @task(2)
    def track(self) -> None:
        if not self.mine:
            return
        tracking_id, code, ip = random.choice(self.mine)
        headers = {"X-Access-Code": code, "X-Forwarded-For": ip}
        with self.client.get(
            self.url(f"/api/v1/reports/{tracking_id}"),
            headers=headers,
            name="GET report",
            catch_response=True,
        ) as response:
            if response.status_code == 0 or response.status_code >= 500:
                self.fail_over()
        self.client.get(
            self.url(f"/api/v1/reports/{tracking_id}/timeline"), headers=headers, name="GET timeline"
        )

    @task(1)
    def browse(self) -> None:
        self.client.get(
            self.url("/api/v1/reports?page_size=20"),
            headers={"X-Forwarded-For": self.ip},
            name="GET public list",
        )


class Officer(_Client):
    wait_time = between(0.5, 1.5)
    weight = 1

    @task
    def queue(self) -> None:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        with self.client.get(
            self.url("/api/v1/reports?status=submitted&page_size=25"),
            headers=headers,
            name="GET verifier queue",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                if response.status_code == 0 or response.status_code >= 500:
                    self.fail_over()
                response.failure(f"{response.status_code}")
                return
            items = response.json().get("items", [])
        if items:
            tracking_id = random.choice(items)["tracking_id"]
            self.client.get(self.url(f"/api/v1/reports/{tracking_id}"), headers=headers, name="GET report")


Citizen.weight = 4
