"""Test overrides on top of the one settings module: fast hashing, tasks run immediately, mail in memory."""

import os
import tempfile

os.environ.setdefault("LAPOR_VAR_DIR", tempfile.mkdtemp(prefix="lapor-test-"))
os.environ["LAPOR_TASKS"] = "immediate"

from lapor.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["OPTIONS"].pop("init_command", None)  # noqa: F405
