"""Failure reporting for WebSocket endpoints.

Loaded lazily from error handlers, so each helper imports what it needs when called.
"""

import logging

logger = logging.getLogger("chat.websocket")


def is_websocket_connected(ws):
    """True while the registry still considers ``ws`` open."""
    from chat.connections import ConnectionState, registry

    return registry.state_of(ws) is ConnectionState.OPEN


def describe_peer(ws):
    """A short description of the peer behind ``ws`` for log lines."""
    from chat.connections import registry

    connection = registry.get(ws)
    user = connection.user_id if connection else "anonymous"
    return f"{user}@{getattr(ws, 'remote_address', 'unknown')}"


def count_failure(exc):
    """Count the failure by exception type for the dashboards."""
    from chat.metrics import failures

    failures[type(exc).__name__] += 1


def report_failure(ws, exc):
    """Log an unexpected endpoint failure, with what is known about the peer."""
    logger.error("WebSocket error: %s", exc)
    count_failure(exc)
    if is_websocket_connected(ws):
        logger.info("closing connection of %s after the error", describe_peer(ws))
