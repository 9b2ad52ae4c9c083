"""The HTTP API: one NinjaAPI at /api/v1, each app mounting its router."""

from ninja import NinjaAPI

from tongban.accounts.api import router as accounts_router
from tongban.accounts.api_identifiers import router as identifiers_router
from tongban.cases.api import router as cases_router
from tongban.cases.api_delivery import delivery_router
from tongban.cases.api_ratings import ratings_router
from tongban.catalog.api import router as catalog_router
from tongban.certificates.api import router as certificates_router
from tongban.core import api_errors
from tongban.core.api_input import JsonObjectParser, refuse_nul_characters
from tongban.documents.api import router as documents_router
from tongban.notifications.api import router as notifications_router

api = NinjaAPI(
    title="Tongban API",
    version="1",
    description="Cross-border one-stop government services (通办).",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=JsonObjectParser(),  # bodies are JSON objects (core.api_input)
)
# --- Errors: one handler, one documented shape (core.api_errors) ------------------------------
api_errors.install(api)
api.add_decorator(refuse_nul_characters, mode="view")
ROUTERS = {
    "/v1/catalog": catalog_router,
    "/v1/identifiers": identifiers_router,
    "/v1/documents": documents_router,
    "/v1": accounts_router,
    "/v1/cases": cases_router,
    "/v1/certificates": certificates_router,
    "/v1/delivery": delivery_router,
    "/v1/ratings": ratings_router,
    "/v1/notifications": notifications_router,
}
for prefix, router in ROUTERS.items():
    api.add_router(prefix, api_errors.document(router))
# --- end errors ---------------------------------------------------------------------------------
