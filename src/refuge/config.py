"""The one Settings object; every setting can come from an environment variable prefixed REFUGE_."""

from __future__ import annotations

import os

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def cache_home() -> str:
    """Where derived data is kept on this machine: $XDG_CACHE_HOME/refuge, else ~/.cache/refuge."""
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "refuge")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REFUGE_")

    #: A SQLAlchemy URL (sqlite:///..., postgresql://...) or a plain path to an SQLite file.
    database_url: str = "refuge.db"
    #: Readiness turns amber when nobody has visited a shelter for this many days.
    visit_days: int = 120
    #: Seconds between the server's scans for overdue check-ins; 0 turns the scan off.
    overdue_interval: float = 300.0
    #: Travel profiles whose route search with chakra the server prepares at start (comma-separated; each
    #: takes about two minutes and 1.2 GB on the Land of Fire; empty: prepared at the first question instead).
    warm_profiles: str = "running"
    #: A directory for the route search's bounds, kept between commands and restarts so that they are built
    #: once per map, profile and set of shelters (up to 4 GB; empty: not kept).
    cache_dir: str = Field(default_factory=cache_home)
    #: Hours a browser session lasts after signing in.
    session_hours: float = 12.0
    host: str = "127.0.0.1"
    port: int = 8000
