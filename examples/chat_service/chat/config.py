"""Runtime settings for the chat service, read once from the environment."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Values that operators tune per deployment."""

    secret_key: bytes
    session_ttl: float
    max_message_bytes: int

    @classmethod
    def from_env(cls, environ=None):
        """Build settings from ``CHAT_*`` variables, with development defaults."""
        env = os.environ if environ is None else environ
        return cls(
            secret_key=env.get("CHAT_SECRET_KEY", "dev-only-secret").encode(),
            session_ttl=float(env.get("CHAT_SESSION_TTL", "3600")),
            max_message_bytes=int(env.get("CHAT_MAX_MESSAGE_BYTES", "4096")),
        )


settings = Settings.from_env()
