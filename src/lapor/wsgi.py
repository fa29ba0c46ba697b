import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018  # import every view and the API now, not on the first request
# What is loaded by now lives as long as the process: move it out of the collector's sight, so that
# a full collection under load walks the requests' objects only (gunicorn workers, ADR 0034).
gc.freeze()
