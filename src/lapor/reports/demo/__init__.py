"""Demo data for `lapor seed --demo`: one account per role and a few dozen reports in every status,
written in Indonesian as citizens write, and driven through the real services."""

from lapor.reports.demo.accounts import ACCOUNTS, DEMO_PASSWORD, DemoAccount
from lapor.reports.demo.loader import STORIES, demo_loaded, load_demo

__all__ = ["ACCOUNTS", "DEMO_PASSWORD", "STORIES", "DemoAccount", "demo_loaded", "load_demo"]
