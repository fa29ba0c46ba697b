"""`lapor import FILE.csv|FILE.xlsx --channel paper --map title=Judul,body=Isi,...`: file a batch of
paper or walk-in complaints, with a progress bar; safe to run twice (see `channels.importer`)."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lapor.channels.importer import import_file, parse_map
from lapor.core.errors import ApplicationError

BAR = 30


class Command(BaseCommand):
    help = "Import paper or walk-in complaints from a CSV or XLSX file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--channel", default="paper", choices=["paper", "walk_in"])
        parser.add_argument(
            "--map",
            required=True,
            help="field=Column pairs, e.g. title=Judul,body=Isi,reporter_name=Nama,reporter_phone=Telepon",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, file: str, channel: str, map: str, quiet: bool, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: berkas tidak ditemukan")

        def progress(done: int, total: int) -> None:
            if quiet:
                return
            filled = BAR * done // max(total, 1)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total}")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()

        try:
            result = import_file(path, channel=channel, mapping=parse_map(map), progress=progress)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{result.rows} baris: {result.created} baru, {result.existing} sudah ada, "
            f"{result.rejected} ditolak ({result.seconds:.1f} detik)"
        )
        if result.rejected_file:
            self.stdout.write(f"Baris ditolak beserta alasannya: {result.rejected_file}")
        if result.accepted_file:
            self.stdout.write(f"Nomor laporan dan kode akses: {result.accepted_file}")
