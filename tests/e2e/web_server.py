"""The web app served by uvicorn on a free local port in a thread, for the browser tests and the screenshots."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import uvicorn

from refuge.api.app import create_app
from refuge.config import Settings
from refuge.services.demo import load_demo
from refuge.services.navigation import Navigator
from refuge.store.database import Database

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def demo_database(path: Path, with_matrix: bool = True) -> Path:
    """The Land of Fire in an SQLite file; with the travel-time matrix cached, so planning starts at once."""
    db = Database(str(path))
    load_demo(db)
    if with_matrix:
        Navigator(db).matrix()
    db.dispose()
    return path


class Server:
    """The app over a copy of a demo database, served until `stop`; overdue scans every `overdue_interval` s."""

    def __init__(self, template: Path, folder: Path, overdue_interval: float = 1.0) -> None:
        self.path = folder / "served.db"
        shutil.copy(template, self.path)
        self.db = Database(str(self.path))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        settings = Settings(database_url=str(self.path), overdue_interval=overdue_interval)
        config = uvicorn.Config(create_app(self.db, settings), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> Server:
        self.thread.start()
        for _ in range(600):  # at most a minute for the server to listen
            if self.server.started or not self.thread.is_alive():
                break
            time.sleep(0.1)
        if not self.server.started:
            raise RuntimeError("the web app did not start")
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.db.dispose()
