"""``copydesk serve``: one-line errors with exit status 2, and a real start."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from copydesk.cli import main
from copydesk.service.server import free_port


def _one_line_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["serve", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("copydesk serve: error: ") and "\n" not in err
    assert "Traceback" not in err
    return err


def test_bad_sources(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    port = str(free_port())
    assert "not found" in _one_line_error(capsys, str(tmp_path / "nothing"), "--port", port)
    assert "not a copydesk results folder" in _one_line_error(capsys, str(tmp_path),
                                                              "--port", port)
    some_file = tmp_path / "notes.sqlite"
    some_file.write_text("hello")
    monkeypatch.setitem(sys.modules, "copydesk.store", None)
    assert "no persistent index" in _one_line_error(capsys, str(some_file), "--port", port)
    assert "--port" in _one_line_error(capsys, str(tmp_path), "--port", "70000")


def test_port_in_use(capsys: pytest.CaptureFixture[str], demo_folder: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        err = _one_line_error(capsys, str(demo_folder), "--port", str(port))
    assert f"port {port} on 127.0.0.1 is in use" in err


def test_without_the_serve_extra(capsys: pytest.CaptureFixture[str], demo_folder: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fastapi", None)
    err = _one_line_error(capsys, str(demo_folder))
    assert "pip install 'copydesk[serve]'" in err


def test_serves_until_stopped(demo_folder: Path) -> None:
    port = free_port()
    env = {**os.environ, "COPYDESK_TOKEN": "from-the-environment"}
    proc = subprocess.Popen([sys.executable, "-m", "copydesk.cli", "serve", str(demo_folder),
                             "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()[1]
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["kind"] == "results"
        denied = httpx.post(f"http://127.0.0.1:{port}/api/articles", json={},
                            headers={"Authorization": "Bearer nope"})
        assert denied.status_code == 401  # a token is set (from COPYDESK_TOKEN)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert "open http://127.0.0.1:" in err and "needs the token" in err
    assert "from-the-environment" not in err
