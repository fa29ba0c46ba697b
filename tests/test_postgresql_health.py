"""The PostgreSQL health check (ADR 0029): a healthy reused connection is kept without a query, and one
the server has ended is replaced before a request uses it, so that request does not fail."""

import time

import pytest
from django.db import connection

from lapor.core.postgresql.base import DatabaseWrapper

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def backend(wrapper: DatabaseWrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def last_query_start(pid: int) -> object:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query_start FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row[0] if row else None


def test_a_healthy_connection_is_kept_without_a_query_and_an_ended_one_is_replaced() -> None:
    settings = {**connection.settings_dict, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}
    wrapper = DatabaseWrapper(settings, alias="health")
    try:
        pid = backend(wrapper)
        started = last_query_start(pid)
        wrapper.close_if_unusable_or_obsolete()  # the next request begins
        wrapper.close_if_health_check_failed()  # what its first query does first
        assert wrapper.connection is not None and last_query_start(pid) == started  # nothing was sent
        assert backend(wrapper) == pid  # and the same connection serves the request

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 10
        while last_query_start(pid) is not None and time.monotonic() < deadline:
            time.sleep(0.05)  # the server has ended it
        wrapper.close_if_unusable_or_obsolete()
        assert backend(wrapper) != pid  # replaced before use: this query did not fail
    finally:
        wrapper.close()
