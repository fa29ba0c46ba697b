"""The JSON API, version 1 (OpenAPI at /api/v1/openapi.json)."""

from lapor.api.auth import ViewerAuth
from lapor.api.documented import DocumentedAPI
from lapor.api.errors import install_error_handlers
from lapor.api.routers import auth, opendata, queues, reference, reports, routing, stats, webhooks
from lapor.api.routers import me as me_router
from lapor.api.schemas import ReportIn

api = DocumentedAPI(
    title="LAPOR API",
    version="1",
    description="Layanan Aspirasi dan Pengaduan Online Rakyat: file, follow and handle reports.",
    urls_namespace="api-v1",
    auth=ViewerAuth(),
)
install_error_handlers(api)
api.document(ReportIn)  # POST /reports parses JSON or multipart itself (reports.MULTIPART_AND_JSON)
api.add_router("/auth", auth.router)
api.add_router("/", reference.router)
api.add_router("/", me_router.router)
api.add_router("/", routing.router)  # before reports: /reports/similar is not a tracking id
api.add_router("/", reports.router)
api.add_router("/", webhooks.router)
api.add_router("/", opendata.router)
api.add_router("/", stats.router)
api.add_router("/", queues.router)
