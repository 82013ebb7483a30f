"""The ``serve`` command: web UI and API (waitress), plus the background services.

Background services (MQTT dispatcher, scheduler) register themselves in ``BACKGROUND``; each
has ``start(app)`` and ``stop()``. SIGTERM and Ctrl-C stop everything cleanly.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

from waitress.server import create_server

from controller.app import create_app
from controller.config import Config
from controller.dispatch import service as dispatch_service
from controller.scheduling import service as scheduling_service

log = logging.getLogger(__name__)

# Factories of background services started with the web server: (name, factory(app) -> service).
BACKGROUND: list[tuple[str, Callable[[Any], Any]]] = []
dispatch_service.register(BACKGROUND)
scheduling_service.register(BACKGROUND)  # after dispatch: it publishes plans


def serve(config: Config) -> int:
    app = create_app(config)
    services = []
    for name, factory in BACKGROUND:
        service = factory(app)
        service.start()
        services.append((name, service))
        log.info("service started", extra={"service": name})
    server = create_server(
        app,
        host=config.server.host,
        port=config.server.port,
        threads=config.server.threads,
        ident="truyenthanh",
    )
    stopping = threading.Event()

    def _stop(signum: int, _frame: Any) -> None:
        if not stopping.is_set():
            stopping.set()
            log.info("stopping", extra={"signal": signum})
            server.close()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log.info("listening", extra={"url": f"http://{config.server.host}:{config.server.port}"})
    try:
        server.run()
    except (OSError, ValueError):
        if not stopping.is_set():
            raise
    finally:
        for name, service in reversed(services):
            service.stop()
            log.info("service stopped", extra={"service": name})
    return 0
