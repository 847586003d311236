"""Registry of open WebSocket connections and their lifecycle state."""

import asyncio
import enum
import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)


class ConnectionState(enum.Enum):
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"


@dataclass
class Connection:
    websocket: object
    user_id: str
    state: ConnectionState = ConnectionState.OPEN


class ConnectionRegistry:
    """Every connection this process holds, keyed by its WebSocket object."""

    def __init__(self):
        self._connections = {}

    def add(self, websocket, user_id):
        self._connections[websocket] = Connection(websocket, user_id)
        logger.info("%s connected (%d open)", user_id, len(self._connections))

    def get(self, websocket):
        return self._connections.get(websocket)

    def state_of(self, websocket):
        connection = self._connections.get(websocket)
        return connection.state if connection else ConnectionState.CLOSED

    def remove(self, websocket):
        connection = self._connections.pop(websocket, None)
        if connection is not None:
            connection.state = ConnectionState.CLOSED

    async def broadcast(self, text):
        """Send ``text`` to every open connection; a failed send does not stop the rest."""
        targets = [c.websocket for c in self._connections.values() if c.state is ConnectionState.OPEN]
        await asyncio.gather(*(ws.send(text) for ws in targets), return_exceptions=True)


registry = ConnectionRegistry()

# Imported last: chat.routes imports ConnectionState and registry from this module.
from chat import routes  # noqa: E402


async def dispatch(websocket, path):
    """Entry point given to the WebSocket server: route a new connection by its path."""
    endpoint = routes.ROUTES.get(path)
    if endpoint is None:
        await websocket.close(code=4404, reason="no such endpoint")
        return
    await endpoint(websocket)
