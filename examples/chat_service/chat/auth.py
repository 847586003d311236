"""Bearer-token authentication for WebSocket clients.

A token is ``<base64url(JSON claims)>.<hex HMAC-SHA256 of the first part>``, signed
with ``settings.secret_key``. Claims: ``sub`` (user id), ``iat``, ``exp``, ``scopes``.
"""

import base64
import hashlib
import hmac
import json
import logging

from chat.config import settings
from chat.models import Session

logger = logging.getLogger(__name__)


class AuthError(Exception):
    """The token is missing, forged, malformed or expired."""


def _sign(body):
    return hmac.new(settings.secret_key, body.encode(), hashlib.sha256).hexdigest()


def issue_token(user_id, scopes=()):
    """Return a signed token for ``user_id`` that expires after ``settings.session_ttl``."""
    import time

    now = time.time()
    claims = {"sub": user_id, "iat": now, "exp": now + settings.session_ttl, "scopes": list(scopes)}
    body = base64.urlsafe_b64encode(json.dumps(claims, sort_keys=True).encode()).decode()
    return f"{body}.{_sign(body)}"


def verify_token(token):
    """Check the signature and expiry of ``token`` and return its :class:`Session`."""
    body, _, signature = token.partition(".")
    if not signature or not hmac.compare_digest(signature, _sign(body)):
        raise AuthError("invalid token signature")
    try:
        claims = json.loads(base64.urlsafe_b64decode(body.encode()))
    except ValueError as exc:
        raise AuthError("malformed token") from exc
    session = Session(claims["sub"], claims["iat"], claims["exp"], tuple(claims.get("scopes", ())))
    if session.is_expired(time.time()):
        logger.info("rejected expired token for %s", session.user_id)
        raise AuthError("token expired")
    return session


def seconds_until_expiry(session):
    """Seconds before ``session`` must re-authenticate; 0 once it has expired."""
    return max(0.0, session.expires_at - time.time())
