"""The hourly early warning (`lapor stats warn`): volume spikes and emerging topics become Alerts, and
the supervisors and agencies concerned get an in-app notification once per alert."""

from lapor.analytics.warning.alerts import run

__all__ = ["run"]
