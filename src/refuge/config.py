"""The one Settings object; every setting can come from an environment variable prefixed REFUGE_."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REFUGE_")

    #: A SQLAlchemy URL (sqlite:///..., postgresql://...) or a plain path to an SQLite file.
    database_url: str = "refuge.db"
    #: Readiness turns amber when nobody has visited a shelter for this many days.
    visit_days: int = 120
    #: Seconds between the server's scans for overdue check-ins; 0 turns the scan off.
    overdue_interval: float = 300.0
    #: Travel profiles whose route search with chakra the server prepares at start (comma-separated; each
    #: takes about 40 s and 310 MB on the Land of Fire; empty: prepared at the first question instead).
    warm_profiles: str = "running"
    #: Hours a browser session lasts after signing in.
    session_hours: float = 12.0
    host: str = "127.0.0.1"
    port: int = 8000
