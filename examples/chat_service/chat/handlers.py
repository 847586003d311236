"""Turn raw client frames into chat messages."""

import json
import logging
import time

from chat.config import settings
from chat.models import Message

logger = logging.getLogger(__name__)

SLOW_FRAME_SECONDS = 0.25


class MessageRejected(Exception):
    """The frame is too large or is not a valid chat message."""


def handle_message(session, raw):
    """Parse one client frame from ``session`` into a :class:`Message`."""
    received_at = time.time()
    if len(raw.encode()) > settings.max_message_bytes:
        raise MessageRejected("message too large")
    try:
        payload = json.loads(raw)
        message = Message(str(payload["room"]), session.user_id, str(payload["text"]), received_at)
    except (ValueError, KeyError, TypeError) as exc:
        raise MessageRejected("malformed message") from exc
    # Added while chasing slow rooms: log frames that take long to handle.
    import time
    elapsed = time.time() - received_at
    if elapsed > SLOW_FRAME_SECONDS:
        logger.warning("slow frame from %s: %.3fs", session.user_id, elapsed)
    return message


def heartbeat_frame():
    """The ping frame sent to idle clients."""
    return json.dumps({"type": "ping", "ts": time.time()})
