"""Running the app: :func:`serve` checks the address first (one line when the port is
taken), then runs uvicorn until Ctrl-C.  Access logs name the method, path and status only:
no header, so never the token."""

from __future__ import annotations

import contextlib
import errno
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from ..errors import ConfigError
from .data import ReuseStore

DEFAULT_HOST = "127.0.0.1"  # loopback only; another interface only when asked (--host)
DEFAULT_PORT = 8765


def check_address(host: str, port: int) -> None:
    """:class:`ConfigError` when ``host:port`` cannot be listened on (taken, no such
    interface, a privileged port)."""
    if not 0 <= port <= 65535:
        raise ConfigError(f"--port must be between 0 and 65535, not {port}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise ConfigError(f"cannot listen on {host!r}: {e.strerror}") from None
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise ConfigError(f"port {port} on {host} is in use: choose another with "
                                  "--port") from None
            raise ConfigError(f"cannot listen on {host}:{port}: {e.strerror}") from None


def log_config() -> dict[str, Any]:
    """uvicorn's logging, plain: one line per request (client, request line, status)."""
    fmt = "%(asctime)s %(levelname)s %(message)s"
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"plain": {"format": fmt}},
        "handlers": {"err": {"class": "logging.StreamHandler", "formatter": "plain",
                             "stream": "ext://sys.stderr"}},
        "loggers": {"uvicorn": {"handlers": ["err"], "level": "INFO", "propagate": False},
                    "uvicorn.access": {"handlers": ["err"], "level": "INFO", "propagate": False},
                    "copydesk.service": {"handlers": ["err"], "level": "INFO",
                                         "propagate": False}},
    }


def serve(store: ReuseStore, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          token: str | None = None, name: str | None = None) -> None:
    """Serve ``store`` on ``host:port`` until interrupted."""
    import uvicorn

    from .app import create_app

    check_address(host, port)
    app = create_app(store, token, name=name)
    uvicorn.run(app, host=host, port=port, log_config=log_config(), server_header=False,
                proxy_headers=False, timeout_graceful_shutdown=5)


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port nothing listens on now (for tests and benchmarks)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running(app: Any, *, host: str = DEFAULT_HOST, port: int | None = None,
            log_config: dict[str, Any] | None = None) -> Iterator[str]:
    """``app`` served by uvicorn in a thread of this process; yields its base URL
    (``http://host:port``) once it accepts connections, and stops it afterwards."""
    import uvicorn

    port = port or free_port(host)
    config = uvicorn.Config(app, host=host, port=port, log_config=log_config,
                            server_header=False, timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start on {host}:{port}")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
