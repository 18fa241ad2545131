"""The exception tree. Every error a user can cause is a :class:`CityEventsError`.

    CityEventsError
     ├── InputError            bad input: unreadable file, undecodable or binary bytes, empty document
     │    ├── UnsupportedFormat   a document in no format cityevents reads
     │    └── AlreadyDecided      a submission approved or rejected before    (HTTP 409)
     ├── FetchError            a URL could not be fetched
     │    └── BlockedAddress      the SSRF guard refused the address
     ├── CatalogError          the catalog cannot be opened, migrated or written
     ├── NotFound              no such event, source or token            (HTTP 404)
     ├── Unauthorized          a write without a valid token             (HTTP 401)
     │    └── Forbidden           a valid token whose role may not do this  (HTTP 403)
     └── RateLimited           too many requests from one client         (HTTP 429)

Errors that reach HTTP carry ``status``; the CLI prints ``str(error)`` and exits non-zero.
"""

from __future__ import annotations


class CityEventsError(Exception):
    """Base class: a message meant for the user, and an HTTP status."""

    status: int = 400
    code: str = "error"


class InputError(CityEventsError):
    code = "bad_input"


class UnsupportedFormat(InputError):
    code = "unsupported_format"


class AlreadyDecided(InputError):
    """A submission that was already approved or rejected."""

    status = 409
    code = "already_decided"


class FetchError(CityEventsError):
    status = 502
    code = "fetch_failed"


class BlockedAddress(FetchError):
    status = 400
    code = "blocked_address"


class CatalogError(CityEventsError):
    status = 500
    code = "catalog_error"


class NotFound(CityEventsError):
    status = 404
    code = "not_found"


class Unauthorized(CityEventsError):
    status = 401
    code = "unauthorized"


class Forbidden(Unauthorized):
    status = 403
    code = "forbidden"


class RateLimited(CityEventsError):
    status = 429
    code = "rate_limited"
