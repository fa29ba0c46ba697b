"""`lapor stats rebuild` (recompute every rollup from the timeline), `lapor stats verify` (exit 1 when
the stored rollups and a full recomputation disagree), `lapor stats warn [--now]` (the hourly early
warning; idempotent, run by the worker loop) and `lapor stats warm` (store the current year's public
statistics in the shared cache, run by the worker loop: ADR 0027)."""

import json
import time
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lapor.analytics import rollups
from lapor.core import clock


class Command(BaseCommand):
    help = "Rebuild or verify the performance rollups, warm the statistics cache, or run the early warning."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["rebuild", "verify", "warn", "warm"])
        parser.add_argument("--now", help="ISO moment to run the warning at, e.g. 2025-03-01T10:00+07:00.")

    def handle(self, *args: Any, action: str, now: str | None = None, **options: Any) -> None:
        started = time.perf_counter()
        if action == "rebuild":
            snap = rollups.rebuild()
            summary = {
                "cells": len({cell for cell, _ in snap.counts}),
                "durations": len(snap.durations),
                "seconds": round(time.perf_counter() - started, 2),
            }
            self.stdout.write(json.dumps(summary))
        elif action == "verify":
            problems = rollups.verify()
            for line in problems[:50]:
                self.stderr.write(line)
            seconds = round(time.perf_counter() - started, 2)
            self.stdout.write(json.dumps({"differences": len(problems), "seconds": seconds}))
            if problems:
                raise CommandError(f"{len(problems)} rollup cells differ from a full recomputation")
        elif action == "warm":
            from lapor.analytics.warm import shared_cache, warm_once

            # Without Redis each process has its own cache: what the worker stored, no page would see.
            result = warm_once() if shared_cache() else {"skipped": "the cache is local to each process"}
            self.stdout.write(json.dumps(result))
        else:
            from lapor.analytics.warning import run

            moment = datetime.fromisoformat(now) if now else clock.now()
            if moment.tzinfo is None:
                raise CommandError("--now needs a time zone, e.g. 2025-03-01T10:00+07:00")
            with clock.frozen_at(moment):
                result = run()
            self.stdout.write(json.dumps(result))
