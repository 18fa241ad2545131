"""Run the web app on uvicorn (what ``cityevents serve`` does)."""

from __future__ import annotations

import logging
import threading
import time
import webbrowser

import uvicorn

from cityevents.web.app import create_app

LOGGER = logging.getLogger(__name__)

BROWSER_WAIT_S = 10.0  # give up opening the browser if the server has not started by then


def serve(catalog_url: str | None, host: str = "127.0.0.1", port: int = 8000,
          open_browser: bool = False) -> None:
    """Serve the catalog until interrupted.

    Args:
        catalog_url: database URL or SQLite path; ``None`` means ``CITYEVENTS_DB`` or the default.
        host: interface to listen on (the default keeps the server local).
        port: TCP port.
        open_browser: open the home page in the default browser once the server listens.

    Raises:
        CatalogError: when the catalog cannot be opened.
    """
    app = create_app(catalog_url)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="info"))
    if open_browser:
        local = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        url = f"http://[{local}]:{port}/" if ":" in local else f"http://{local}:{port}/"
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    server.run()


def _open_when_started(server: uvicorn.Server, url: str) -> None:
    deadline = time.monotonic() + BROWSER_WAIT_S
    while not server.started:
        if time.monotonic() > deadline or server.should_exit:
            return
        time.sleep(0.05)
    LOGGER.info("opening %s", url)
    webbrowser.open(url)
