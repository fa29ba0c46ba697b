from datetime import datetime
from zoneinfo import ZoneInfo

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")


def at(text: str, zone: ZoneInfo = WIB) -> datetime:
    """'2026-03-13 10:00' in `zone` (WIB unless told)."""
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def end_of(day: str, zone: ZoneInfo = WIB) -> datetime:
    return at(f"{day} 23:59:59.999999", zone)
