"""Test overrides on top of the one settings module: fast hashing, tasks run immediately, mail in memory."""

import os
import tempfile

os.environ.setdefault("LAPOR_VAR_DIR", tempfile.mkdtemp(prefix="lapor-test-"))
os.environ["LAPOR_TASKS"] = "immediate"

from lapor.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LAPOR_STATS_CACHE_SECONDS = 0  # tests read fresh rollups; tests/performance switches the cache on
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["OPTIONS"].pop("init_command", None)  # noqa: F405
# Rate limits stay on in tests, far above what any test sends; tests/security lowers them.
CACHES["ratelimit"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
LAPOR_RATE_LIMITS = {
    rule: dict.fromkeys(("ip", "account"), (100_000, 60))
    for rule in ("filing", "channel", "signin", "support", "read")
}
# A test's rows live in its own open transaction, which other connections cannot see: one thread.
# tests/reports/test_sweep_threads.py commits its rows and runs the threads.
LAPOR_SWEEP_THREADS = 1
LAPOR_WEBHOOK_ALLOW_PRIVATE = True  # the tests' webhook receivers listen on 127.0.0.1
