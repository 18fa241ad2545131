"""The web app factory: API, feeds, pages and static assets over one catalog.

    app = create_app("events.db")      # or create_app() for CITYEVENTS_DB
    uvicorn.run(app)                   # see cityevents.web.server.serve

Routes: ``/api/...`` (:mod:`cityevents.web.api`), ``/feeds/...`` and ``/events/{id}.ics|.json``
(:mod:`cityevents.web.feeds`), HTML pages (:mod:`cityevents.web.pages`), ``/static``. The OpenAPI
schema is at ``/api/openapi.json``; ``/api/docs`` serves Swagger UI from the swagger-ui-bundle
package (no CDN) when it is installed.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from cityevents import __version__
from cityevents.catalog import open_catalog
from cityevents.settings import Settings
from cityevents.web import api, errors, feeds, moderation, pages
from cityevents.web.head import HeadAsGet

LOGGER = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
OPENAPI_URL = "/api/openapi.json"
DESCRIPTION = """Smart-city events, read from their announcements and merged into one catalog.

Every list accepts the same filters (`q`, `from`, `to`, `country`, `city`, `topic`, `organizer`,
`status`, `near` + `radius_km`, `bbox`, `updated_since`), in the API and in the feeds alike.
Errors always have the shape `{"error": {"status": 404, "code": "not_found", "message": "..."}}`.
"""


def create_app(catalog_url: str | None = None, *, settings: Settings | None = None) -> FastAPI:
    """Build the app over one catalog, opened (and migrated) here, once.

    Args:
        catalog_url: database URL or SQLite path; ``None`` means ``settings.db``.
        settings: defaults to :meth:`Settings.from_env`.

    Returns:
        The FastAPI app; ``app.state.catalog`` is the open catalog, closed when the app shuts down.

    Raises:
        CatalogError: when the catalog cannot be opened or migrated.
    """
    settings = settings or Settings.from_env()
    catalog = open_catalog(catalog_url or settings.db)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        catalog.close()

    app = FastAPI(title="cityevents", version=__version__, description=DESCRIPTION, openapi_url=OPENAPI_URL,
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.catalog = catalog
    app.state.settings = settings
    errors.install(app)
    app.add_middleware(HeadAsGet)
    app.include_router(api.router)
    app.include_router(feeds.router)  # before the pages: /events/{id}.ics must not reach /events/{id}
    app.include_router(pages.router)
    app.include_router(moderation.router)  # /api/submissions, event edits, /api/audit, /submit, /moderate
    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_docs(app)
    LOGGER.info("serving the catalog at %s", catalog.engine.url.render_as_string(hide_password=True))
    return app


def _add_docs(app: FastAPI) -> None:
    """Swagger UI at /api/docs from the installed swagger-ui-bundle assets, if the package is there."""
    if importlib.util.find_spec("swagger_ui_bundle") is None:
        LOGGER.info("swagger-ui-bundle is not installed: no /api/docs (the schema is at %s)", OPENAPI_URL)
        return
    from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]  # optional package

    app.mount("/api/docs/assets", StaticFiles(directory=str(swagger_ui_path)), name="swagger_ui")

    @app.get("/api/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        def asset(name: str) -> str:
            return str(request.url_for("swagger_ui", path=name).path)

        return get_swagger_ui_html(openapi_url=OPENAPI_URL, title="cityevents API",
                                   swagger_js_url=asset("swagger-ui-bundle.js"),
                                   swagger_css_url=asset("swagger-ui.css"),
                                   swagger_favicon_url=asset("favicon-32x32.png"))
