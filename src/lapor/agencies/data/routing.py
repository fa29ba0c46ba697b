"""Default routing rules: category x region level -> agency (DESIGN §7).

Read each category top-down: the lowest priority number is proposed first. `REGIONAL` means "the
regional government at this rule's level for the report's region" (pemda-34.04 for a report in Sleman at
level regency, pemda-34 at level province). National rules also serve as the fallback for reports that
have a region, so priorities are spaced: the local unit (10), the province (20), the ministry (30).
Operators add or re-prioritise rules in the admin; the seed re-creates a default rule that was deleted
and resets its priority, so lasting changes belong in new rules (see RoutingRule's docstring).
"""

from typing import NamedTuple

__all__ = ["REGIONAL", "ROUTING_RULES", "RuleData"]

REGIONAL = "regional"
ANY, NATIONAL, PROVINCE, REGENCY = "any", "national", "province", "regency"


class RuleData(NamedTuple):
    category: str
    region_level: str
    target: str  # an agency code, or REGIONAL
    unit_slug: str = ""
    priority: int = 100


def _tiered(category: str, unit: str, national: str, national_unit: str = "") -> list[RuleData]:
    """The usual decentralised service: regency/city office first, then the province's, then the ministry."""
    return [
        RuleData(category, REGENCY, REGIONAL, unit, 10),
        RuleData(category, PROVINCE, REGIONAL, unit, 20),
        RuleData(category, NATIONAL, national, national_unit, 30),
    ]


ROUTING_RULES: tuple[RuleData, ...] = (
    *_tiered("health", "dinas-kesehatan", "kemenkes"),
    RuleData("health", ANY, "bpjs-kesehatan", "", 40),
    # Primary and secondary schools are regency and province business; universities are national.
    *_tiered("education", "dinas-pendidikan", "kemendikdasmen"),
    RuleData("education", NATIONAL, "kemendiktisaintek", "", 40),
    *_tiered("civil_registry", "disdukcapil", "kemendagri", "ditjen-dukcapil"),
    *_tiered("social_aid", "dinas-sosial", "kemensos"),
    *_tiered("roads_infrastructure", "dinas-pu", "kemenpu", "ditjen-bina-marga"),
    *_tiered("transport", "dinas-perhubungan", "kemenhub", "ditjen-hubdat"),
    RuleData("transport", NATIONAL, "kai", "", 40),
    # Electricity is a national monopoly: PLN serves every region directly.
    RuleData("electricity_energy", ANY, "pln", "", 10),
    RuleData("electricity_energy", NATIONAL, "kemen-esdm", "", 20),
    RuleData("electricity_energy", ANY, "pertamina", "", 30),
    RuleData("water", REGENCY, REGIONAL, "pdam", 10),
    RuleData("water", REGENCY, REGIONAL, "dinas-pu", 15),
    RuleData("water", PROVINCE, REGIONAL, "dinas-pu", 20),
    RuleData("water", NATIONAL, "kemenpu", "ditjen-sda", 30),
    *_tiered("environment", "dlh", "kemenlh"),
    *_tiered("disaster", "bpbd", "bnpb"),
    *_tiered("public_order", "satpol-pp", "kemendagri"),
    RuleData("public_order", ANY, "polri", "", 40),
    RuleData("police_services", ANY, "polri", "", 10),
    # Ombudsman RI oversees maladministration by the police: the second opinion when Polri is the problem.
    RuleData("police_services", NATIONAL, "ombudsman", "", 40),
    *_tiered("employment", "disnaker", "kemnaker"),
    RuleData("employment", ANY, "bpjs-ketenagakerjaan", "", 40),
    # Land titles are national (ATR/BPN's land offices); spatial planning is the regency's.
    RuleData("land", ANY, "atr-bpn", "kantor-pertanahan", 10),
    RuleData("land", REGENCY, REGIONAL, "dinas-pu", 20),
    *_tiered("licensing", "dpmptsp", "kemen-investasi"),
    # Property and vehicle taxes are regional (PBB at the regency, PKB at the province); income tax national.
    *_tiered("tax", "bapenda", "kemenkeu", "ditjen-pajak"),
    # Signal, online fraud and content are national; local government websites and apps are not.
    RuleData("communication", NATIONAL, "komdigi", "", 10),
    RuleData("communication", REGENCY, REGIONAL, "dinas-kominfo", 20),
    RuleData("communication", PROVINCE, REGIONAL, "dinas-kominfo", 25),
    *_tiered("agriculture", "dinas-pertanian", "kementan"),
    RuleData("agriculture", NATIONAL, "bapanas", "", 40),
    *_tiered("housing", "dinas-perumahan", "kemen-pkp"),
    *_tiered("civil_service", "bkpsdm", "bkn"),
    RuleData("civil_service", NATIONAL, "kemenpanrb", "", 40),
    # Supervisory: extortion by officials goes to the inspectorate, not to the office accused.
    *_tiered("integrity", "inspektorat", "ombudsman"),
    RuleData("other", REGENCY, REGIONAL, "", 10),
    RuleData("other", PROVINCE, REGIONAL, "", 20),
    RuleData("other", NATIONAL, "lapor-nasional", "verifikasi", 30),
)
