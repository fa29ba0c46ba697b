"""Reference data of Indonesia's public sector, as plain Python so it is reviewed like code and typed.

`seed.seed_reference` loads it; nothing else should import these modules for lookups (read the database
through the selectors instead, where operators' edits live).
"""

from lapor.agencies.data.categories import CATEGORIES, CategoryData
from lapor.agencies.data.national import NATIONAL_AGENCIES, NationalAgency
from lapor.agencies.data.regional import REGIONAL_UNITS, RegionalUnit
from lapor.agencies.data.routing import REGIONAL, ROUTING_RULES, RuleData

__all__ = [
    "CATEGORIES",
    "NATIONAL_AGENCIES",
    "REGIONAL",
    "REGIONAL_UNITS",
    "ROUTING_RULES",
    "CategoryData",
    "NationalAgency",
    "RegionalUnit",
    "RuleData",
]
