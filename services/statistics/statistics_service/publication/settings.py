"""Settings of the publication job (`KOSHQON_STATISTICS_PUBLISH_INTERVAL_SECONDS`)."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class PublicationSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KOSHQON_STATISTICS_", extra="ignore")

    # Seconds between two runs; a run publishes only the indicator-years that changed.
    publish_interval_seconds: float = 1.5
