"""Plain data objects passed between the chat modules."""

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Session:
    """An authenticated user, as described by a verified token."""

    user_id: str
    issued_at: float
    expires_at: float
    scopes: tuple = ()

    def is_expired(self, now):
        return now >= self.expires_at


@dataclass(frozen=True)
class Message:
    """One chat message, ready to be broadcast to a room."""

    room: str
    sender: str
    text: str
    sent_at: float

    def to_json(self):
        return json.dumps({"type": "message", **asdict(self)})
