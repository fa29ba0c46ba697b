"""The category taxonomy of DESIGN §4. Codes are stable; `resolution_days` is the SLA tier (5/14/60).

Tiers: 5 days where the harm is immediate and the fix is an operational act (an outage, a disaster, a
civil-registry document people need for school or a job); 60 days where the fix is physical works or a
legal process (roads, land, housing); 14 days for the rest.
"""

from typing import NamedTuple

__all__ = ["CATEGORIES", "CategoryData"]


class CategoryData(NamedTuple):
    code: str
    name: str
    name_en: str
    resolution_days: int
    supervisory: bool = False


CATEGORIES: tuple[CategoryData, ...] = (
    CategoryData("health", "Kesehatan", "Health", 14),
    CategoryData("education", "Pendidikan", "Education", 14),
    CategoryData("civil_registry", "Administrasi Kependudukan", "Civil registration", 5),
    CategoryData("social_aid", "Perlindungan Sosial & Bansos", "Social protection and aid", 14),
    CategoryData("roads_infrastructure", "Jalan & Infrastruktur", "Roads and infrastructure", 60),
    CategoryData("transport", "Perhubungan", "Transport", 14),
    CategoryData("electricity_energy", "Listrik & Energi", "Electricity and energy", 5),
    CategoryData("water", "Air Bersih", "Clean water", 5),
    CategoryData("environment", "Lingkungan & Kebersihan", "Environment and sanitation", 14),
    CategoryData("disaster", "Bencana", "Disasters", 5),
    CategoryData("public_order", "Ketertiban Umum", "Public order", 14),
    CategoryData("police_services", "Layanan Kepolisian", "Police services", 14),
    CategoryData("employment", "Ketenagakerjaan", "Employment", 14),
    CategoryData("land", "Pertanahan & Tata Ruang", "Land and spatial planning", 60),
    CategoryData("licensing", "Perizinan & Investasi", "Licensing and investment", 14),
    CategoryData("tax", "Pajak & Retribusi", "Taxes and levies", 14),
    CategoryData("communication", "Komunikasi & Digital", "Communication and digital", 14),
    CategoryData("agriculture", "Pertanian & Pangan", "Agriculture and food", 14),
    CategoryData("housing", "Perumahan", "Housing", 60),
    CategoryData("civil_service", "Kepegawaian & Aparatur", "Civil service", 14),
    CategoryData("integrity", "Pungli & Integritas", "Extortion and integrity", 14, supervisory=True),
    CategoryData("other", "Lainnya", "Other", 14),
)
