"""The working units every regional government gets (perangkat daerah, PP 18/2016 naming).

Real names vary per region ("Dinas PUPR", "Dinas PU dan Penataan Ruang"); the slugs are what routing
rules refer to, so they are the same everywhere and operators may rename units freely.
"""

from typing import NamedTuple

__all__ = ["REGIONAL_UNITS", "REQUIRED_SLUGS", "RegionalUnit"]


class RegionalUnit(NamedTuple):
    slug: str
    name: str
    province: bool = True  # provinces have it
    regency: bool = True  # regencies and cities have it


REGIONAL_UNITS: tuple[RegionalUnit, ...] = (
    RegionalUnit("dinas-pu", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    RegionalUnit("dinas-kesehatan", "Dinas Kesehatan"),
    RegionalUnit("dinas-pendidikan", "Dinas Pendidikan"),
    RegionalUnit("dinas-sosial", "Dinas Sosial"),
    RegionalUnit("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    RegionalUnit("dinas-perhubungan", "Dinas Perhubungan"),
    RegionalUnit("dlh", "Dinas Lingkungan Hidup"),
    RegionalUnit("satpol-pp", "Satuan Polisi Pamong Praja"),
    RegionalUnit("inspektorat", "Inspektorat Daerah"),
    RegionalUnit("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    RegionalUnit("bapenda", "Badan Pendapatan Daerah"),
    RegionalUnit("dinas-kominfo", "Dinas Komunikasi dan Informatika"),
    RegionalUnit("dinas-pertanian", "Dinas Pertanian dan Ketahanan Pangan"),
    RegionalUnit("dinas-perumahan", "Dinas Perumahan dan Kawasan Permukiman"),
    RegionalUnit("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
    RegionalUnit("disnaker", "Dinas Tenaga Kerja"),
    RegionalUnit("bpbd", "Badan Penanggulangan Bencana Daerah"),
    RegionalUnit("dinas-perdagangan", "Dinas Perindustrian dan Perdagangan"),
    # Drinking water is run by the regency/city's own company (Perumda Air Minum, still called PDAM).
    RegionalUnit("pdam", "Perusahaan Umum Daerah Air Minum (PDAM)", province=False),
)

REQUIRED_SLUGS = frozenset(
    {
        "dinas-pu",
        "dinas-kesehatan",
        "dinas-pendidikan",
        "dinas-sosial",
        "disdukcapil",
        "dinas-perhubungan",
        "dlh",
        "satpol-pp",
        "inspektorat",
    }
)
