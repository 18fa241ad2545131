"""Request guards for the submission and moderation routes: a per-client rate limit and CSRF tokens.

Rate limit: a token bucket per client address, in memory (per process): ``capacity`` requests at
once, refilled at ``capacity`` per ``window`` seconds. A denied request learns how long to wait.

CSRF: signed double-submit. A token is ``NONCE.SIGNATURE`` where the signature is an HMAC-SHA256,
under the app's secret, of the nonce and a *binding* (a hash of the session cookie, or nothing for
an anonymous visitor). The token goes both into a cookie and into the form; a POST is accepted
only when the two are equal and the signature verifies for the request's current binding. A
cross-site page can neither read the cookie nor mint a valid token without the secret, and a
token planted in a victim's cookie jar is useless once the victim logs in, because the binding
changes.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from cityevents.errors import Forbidden

LOGGER = logging.getLogger(__name__)

CSRF_COOKIE = "cityevents_csrf"
CSRF_FIELD = "csrf_token"
NONCE_BYTES = 16
MAX_CLIENTS = 10_000  # buckets kept before full (idle) ones are dropped


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per client key, safe across threads.

    Args:
        capacity: requests a client may make at once.
        window: seconds in which a client's bucket refills completely.
        clock: a monotonic clock in seconds (injected by tests).
    """

    def __init__(self, capacity: int, window: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = capacity
        self.rate = capacity / window
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float | None:
        """Spend one request of ``key``'s allowance.

        Returns:
            ``None`` when allowed; otherwise the seconds until the next request would be.
        """
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= MAX_CLIENTS:
                    self._forget_idle(now)
                bucket = self._buckets[key] = _Bucket(float(self.capacity), now)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return None
            return (1 - bucket.tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        """Drop the buckets that have refilled: forgetting them changes nothing."""
        full = [key for key, bucket in self._buckets.items()
                if bucket.tokens + (now - bucket.updated) * self.rate >= self.capacity]
        for key in full:
            del self._buckets[key]
        LOGGER.debug("rate limiter: forgot %d idle clients, %d left", len(full), len(self._buckets))


class CsrfSigner:
    """Mint and check signed double-submit CSRF tokens (see the module docstring)."""

    def __init__(self, secret: bytes) -> None:
        """Sign with ``secret`` (at least 32 random bytes; one per app)."""
        self._secret = secret

    def mint(self, binding: str) -> str:
        """A new token for ``binding``."""
        nonce = secrets.token_urlsafe(NONCE_BYTES)
        return f"{nonce}.{self._sign(nonce, binding)}"

    def valid(self, token: str | None, binding: str) -> bool:
        """Whether ``token`` was minted here for ``binding``."""
        nonce, _, signature = (token or "").partition(".")
        return bool(nonce and signature) and hmac.compare_digest(signature, self._sign(nonce, binding))

    def check(self, request: Request, submitted: str | None, binding: str) -> None:
        """Accept a form POST only with the cookie's token, valid for ``binding``, echoed in the form.

        Raises:
            Forbidden: when the cookie or form token is missing, they differ, or the signature fails.
        """
        cookie = request.cookies.get(CSRF_COOKIE)
        if not (cookie and submitted and hmac.compare_digest(cookie, submitted) and self.valid(cookie, binding)):
            LOGGER.info("CSRF check failed for %s %s", request.method, request.url.path)
            raise Forbidden("the form has expired or did not come from this site: reload the page and try again")

    def _sign(self, nonce: str, binding: str) -> str:
        message = f"{nonce}\n{binding}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()


def client_address(request: Request) -> str:
    """The client's address as the server sees it (a proxy in front must pass it on, e.g. uvicorn's
    ``--proxy-headers`` with ``--forwarded-allow-ips``)."""
    return request.client.host if request.client is not None else "unknown"
