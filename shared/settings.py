"""Settings of one service, read from the environment with the prefix `KOSHQON_<SERVICE>_`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    host: str = "127.0.0.1"
    port: int = 0
    database_url: str = ""
    bus: Literal["kafka", "memory"] = "memory"
    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_partitions: int = 3
    kafka_replication_factor: int = 1
    topic_prefix: str = ""
    run_migrations: bool = True
    run_relay: bool = True
    run_consumers: bool = True
    log_level: str = "INFO"
    outbox_warn_age_seconds: float = 60.0
    pseudonym_key: SecretStr = SecretStr("koshqon-development-pseudonym-key")
    # Until every client carries a token, a request without one is let through; a token that is
    # present is always verified and its scopes enforced.
    auth_required: bool = False
    rate_limit_verify_per_minute: int = 30
    rate_limit_public_per_minute: int = 600
    max_body_bytes: int = 1_048_576
    webhook_max_attempts: int = 8
    webhook_base_backoff_seconds: float = 2.0
    webhook_timeout_seconds: float = 5.0
    # Plain-HTTP webhook URLs on this machine, for development and tests only.
    webhook_allow_http_loopback: bool = False
    # Production: tokens of the identity provider, verified against its JWKS (issuer, audience
    # and algorithms pinned). When unset, development tokens (koshqon-token) are accepted.
    jwks_url: str = ""
    jwt_issuer: str = ""
    jwt_audience: str = "koshqon"
    jwt_algorithms: list[str] = ["RS256", "ES256"]
    dev_token_secret: SecretStr = SecretStr("koshqon-development-token-secret-not-for-production")

    @classmethod
    def for_service(cls, service: str, **overrides: object) -> ServiceSettings:
        """Settings for `service` from `KOSHQON_<SERVICE>_*`, then the explicit overrides."""
        settings = cls(_env_prefix=f"KOSHQON_{service.upper()}_")  # type: ignore[call-arg]
        return settings.model_copy(update=overrides) if overrides else settings

    def with_defaults(
        self, service: str, port: int, data_dir: Path | None = None
    ) -> ServiceSettings:
        """Fills what is unset: the service's own port and a SQLite file in the data folder."""
        data_dir = data_dir or default_data_dir()
        updates: dict[str, object] = {}
        if not self.port:
            updates["port"] = port
        if not self.database_url:
            updates["database_url"] = f"sqlite+aiosqlite:///{data_dir / f'{service}.db'}"
        return self.model_copy(update=updates) if updates else self


def default_data_dir() -> Path:
    """Where the embedded default keeps its SQLite files: `KOSHQON_DATA_DIR`, else `./var/data`."""
    return Path(os.environ.get("KOSHQON_DATA_DIR", "var/data")).resolve()
