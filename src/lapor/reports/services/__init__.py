"""Every write to a report goes through one of these functions (DESIGN §3 rule 1)."""

from lapor.reports.services.agency import (
    report_accept,
    report_decline,
    report_extend,
    report_forward,
    report_respond,
)
from lapor.reports.services.journal import filings_write_out, report_file
from lapor.reports.services.note import report_note
from lapor.reports.services.reporter import report_confirm, report_provide_info, report_reopen, report_reply
from lapor.reports.services.submit import ReportDraft, Submitted, report_submit
from lapor.reports.services.support import report_support
from lapor.reports.services.system import report_auto_close, report_escalate, report_remind
from lapor.reports.services.verify import report_archive, report_hold, report_merge, report_route

__all__ = [
    "ReportDraft",
    "Submitted",
    "filings_write_out",
    "report_accept",
    "report_archive",
    "report_auto_close",
    "report_confirm",
    "report_decline",
    "report_escalate",
    "report_extend",
    "report_file",
    "report_forward",
    "report_hold",
    "report_merge",
    "report_note",
    "report_provide_info",
    "report_reopen",
    "report_remind",
    "report_reply",
    "report_respond",
    "report_route",
    "report_submit",
    "report_support",
]
