"""WebSocket endpoints of the chat service."""

import json
import logging

from chat import auth, handlers
from chat.connections import ConnectionState, registry

logger = logging.getLogger(__name__)

CLOSE_POLICY_VIOLATION = 1008
CLOSE_INTERNAL_ERROR = 1011


async def websocket_endpoint(websocket):
    """Authenticate the client, then relay its messages to every open connection."""
    try:
        token = websocket.request_headers.get("Authorization", "").removeprefix("Bearer ")
        session = auth.verify_token(token)
        registry.add(websocket, session.user_id)
        async for raw in websocket:
            try:
                message = handlers.handle_message(session, raw)
            except handlers.MessageRejected as exc:
                await websocket.send(json.dumps({"type": "error", "reason": str(exc)}))
                continue
            await registry.broadcast(message.to_json())
    except auth.AuthError as exc:
        await websocket.close(code=CLOSE_POLICY_VIOLATION, reason=str(exc))
    except Exception as exc:
        from chat.diagnostics import report_failure

        report_failure(websocket, exc)
        if registry.state_of(websocket) is ConnectionState.OPEN:
            await websocket.close(code=CLOSE_INTERNAL_ERROR)
    finally:
        registry.remove(websocket)


ROUTES = {"/ws/chat": websocket_endpoint}
