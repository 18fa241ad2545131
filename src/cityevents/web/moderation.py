"""Submissions and moderation: the API (``/api/submissions``, event edits and deletes, ``/api/audit``)
and the pages ``/submit`` and ``/moderate``.

Anyone may submit a URL (fetched through the SSRF-guarded :class:`~cityevents.ingest.fetch.Fetcher`)
or pasted text; the extraction preview comes back at once and the submission waits for a moderator.
Submitting is rate-limited per client address (:data:`SUBMISSIONS_PER_WINDOW` per
:data:`WINDOW_SECONDS`, shared by the API and the form).

The API authenticates with ``Authorization: Bearer <token>`` (tokens from ``cityevents token
create``): 401 without a valid token, 403 when its role may not do this, in the one JSON error
shape. The pages keep a moderator's token in an HttpOnly, SameSite=Strict cookie and protect
every form with a signed double-submit CSRF token (:mod:`cityevents.web.guards`). Secrets come
from ``CITYEVENTS_SECRET``, or are generated per process (then CSRF tokens and submitter hashes
do not survive a restart, and several workers do not share them).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cityevents.catalog.moderation import (
    AuditRecord,
    Moderation,
    Submission,
    Token,
    role_allows,
)
from cityevents.catalog.records import event_from_record
from cityevents.errors import CityEventsError, FetchError, Forbidden, InputError, RateLimited, Unauthorized
from cityevents.extract.topics import TAXONOMY
from cityevents.ingest.fetch import Fetcher
from cityevents.model import AttendanceMode, Event, Status
from cityevents.pipeline import Document, extract_document
from cityevents.settings import SECRET_VARIABLE
from cityevents.web.guards import CSRF_COOKIE, CsrfSigner, RateLimiter, client_address
from cityevents.web.pages import render
from cityevents.web.params import get_catalog
from cityevents.web.schemas import EventPublic, event_public

LOGGER = logging.getLogger(__name__)

SUBMISSIONS_PER_WINDOW = 5
WINDOW_SECONDS = 600.0
MAX_URL = 2000
MAX_TEXT = 50_000
FETCH_MAX_BYTES = 5 * 1024 * 1024
FETCH_TIMEOUT = 30.0
SESSION_COOKIE = "cityevents_session"
SESSION_MAX_AGE = 8 * 3600
QUEUE_PAGE = 50
PASTED_TEXT = "pasted text"  # the document name extraction sees for pasted text (no extension: content decides)
NO_STORE = {"Cache-Control": "no-store"}
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid `Authorization: Bearer <token>`."},
    403: {"description": "The token's role may not do this."},
}

router = APIRouter()
_STATE_LOCK = threading.Lock()


@dataclass
class ModerationState:
    """What the moderation routes share in one app: the store, the rate limiter and the secrets."""

    moderation: Moderation
    limiter: RateLimiter
    csrf: CsrfSigner
    secret: bytes

    def submitter_hash(self, address: str) -> str:
        """A keyed hash of a client address: groups one client's submissions without storing the address
        (a plain hash of an IPv4 address is reversed by trying all 2**32)."""
        return hmac.new(self.secret, address.encode(), hashlib.sha256).hexdigest()


def get_state(request: Request) -> ModerationState:
    """The app's moderation state, made on first use."""
    state: ModerationState | None = getattr(request.app.state, "moderation", None)
    if state is not None:
        return state
    with _STATE_LOCK:
        state = getattr(request.app.state, "moderation", None)
        if state is None:
            secret = request.app.state.settings.secret.encode()
            if not secret:
                LOGGER.warning("%s is not set: using a secret generated for this process", SECRET_VARIABLE)
                secret = secrets.token_bytes(32)
            state = ModerationState(Moderation(get_catalog(request)),
                                    RateLimiter(SUBMISSIONS_PER_WINDOW, WINDOW_SECONDS), CsrfSigner(secret), secret)
            request.app.state.moderation = state
    return state


def submission_fetcher() -> Iterator[Fetcher]:
    """Dependency: a Fetcher for submitted URLs (SSRF guard on, no cache), closed after the request."""
    with Fetcher(cache_dir=None, total_timeout=FETCH_TIMEOUT, max_bytes=FETCH_MAX_BYTES, retries=1) as fetcher:
        yield fetcher


StateDep = Annotated[ModerationState, Depends(get_state)]
FetcherDep = Annotated[Fetcher, Depends(submission_fetcher)]


# -- authentication -------------------------------------------------------------------------------

def bearer_token(request: Request, state: StateDep) -> Token:
    """Dependency: the token in ``Authorization: Bearer ...``.

    Raises:
        Unauthorized: no bearer token, or one that is unknown or revoked.
    """
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise Unauthorized("this needs a token: send Authorization: Bearer <token>")
    token = state.moderation.verify_token(credentials.strip())
    if token is None:
        raise Unauthorized("the token is invalid or revoked")
    return token


def require(role: str) -> Callable[..., Token]:
    """Dependency factory: a bearer token whose role is at least ``role`` (else 403)."""

    def dependency(token: Annotated[Token, Depends(bearer_token)]) -> Token:
        if not role_allows(token.role, role):
            raise Forbidden(f"token {token.name!r} has the {token.role} role; this needs {role}")
        return token

    return dependency


ModeratorDep = Annotated[Token, Depends(require("moderator"))]
AdminDep = Annotated[Token, Depends(require("admin"))]


# -- API models -----------------------------------------------------------------------------------

class SubmissionCreate(BaseModel):
    """A URL to read, or pasted text: exactly one."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(None, max_length=MAX_URL, description="An http(s) page, feed or calendar.")
    text: str | None = Field(None, max_length=MAX_TEXT, description="An announcement's text.")

    @model_validator(mode="after")
    def one_of(self) -> SubmissionCreate:
        if bool((self.url or "").strip()) == bool((self.text or "").strip()):
            raise ValueError("send either url or text")
        return self


class SubmissionPublic(BaseModel):
    """A submission with its extraction preview (catalog records of the events found)."""

    id: int
    kind: str = Field(description="url or text")
    payload: str = Field(description="The URL or the text as submitted.")
    status: str = Field(description="pending, approved or rejected")
    submitter: str = Field(description="A keyed hash of the submitting client's address.")
    events: list[dict[str, Any]]
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    note: str | None = None


class SubmissionList(BaseModel):
    """Submissions in arrival order; pass ``next`` as ``after`` for the following page."""

    data: list[SubmissionPublic]
    count: int
    next: int | None = None


class Decision(BaseModel):
    """An optional note kept with a decision."""

    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=2000)


class Approval(BaseModel):
    """An approved submission and the catalog events it became."""

    submission: SubmissionPublic
    event_ids: list[str]
    new: int
    updated: int


class EventUpdate(BaseModel):
    """Fields to change; ``null`` clears an optional one. Admins may also change the coordinates,
    timezone, aliases, part_of, series, edition and previous_start."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    start: date | None = None
    end: date | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    country_code: str | None = Field(None, description="ISO 3166-1 alpha-2.")
    venue: str | None = None
    description: str | None = None
    url: str | None = None
    status: Status | None = None
    attendance_mode: AttendanceMode | None = None
    topics: list[str] | None = Field(None, description="Topic ids, see /api/topics.")
    organizers: list[str] | None = None
    lat: float | None = None
    lon: float | None = None
    timezone: str | None = None
    aliases: list[str] | None = None
    part_of: str | None = None
    series: str | None = None
    edition: str | None = None
    previous_start: date | None = None

    @field_validator("topics")
    @classmethod
    def known_topics(cls, topics: list[str] | None) -> list[str] | None:
        unknown = [topic for topic in topics or [] if topic not in TAXONOMY]
        if unknown:
            raise ValueError(f"unknown topics {', '.join(unknown)}: see /api/topics")
        return topics


class AuditPublic(BaseModel):
    """One recorded change."""

    id: int
    at: datetime
    actor: str = Field(description="The token name, or cli.")
    action: str
    target: str
    details: dict[str, Any]


class AuditList(BaseModel):
    """Recorded changes, newest first; pass ``next`` as ``before`` for older ones."""

    data: list[AuditPublic]
    next: int | None = None


def submission_public(submission: Submission) -> SubmissionPublic:
    """The API form of a submission."""
    return SubmissionPublic(id=submission.id, kind=submission.kind, payload=submission.payload,
                            status=submission.status, submitter=submission.submitter, events=submission.preview,
                            created_at=submission.created_at, decided_at=submission.decided_at,
                            decided_by=submission.decided_by, note=submission.note)


def audit_public(record: AuditRecord) -> AuditPublic:
    """The API form of an audit record."""
    return AuditPublic(id=record.id, at=record.at, actor=record.actor, action=record.action, target=record.target,
                       details=record.details)


def _json(model: BaseModel, status: int = 200) -> Response:
    return Response(model.model_dump_json(), status_code=status, media_type="application/json", headers=NO_STORE)


# -- submitting ---------------------------------------------------------------------------------

def submit(request: Request, state: ModerationState, fetcher: Fetcher, *, url: str = "", text: str = "") -> Submission:
    """Rate-limit the client, extract the events of a URL or text, and queue them.

    Raises:
        RateLimited: the client has used its allowance.
        InputError: bad input, or no event found.
        FetchError: the URL could not be fetched (BlockedAddress for private addresses).
    """
    address = client_address(request)
    wait = state.limiter.take(address)
    if wait is not None:
        LOGGER.info("rate limit: refused a submission from %s", address)
        raise RateLimited(f"too many submissions from your address: try again in {max(1, round(wait / 60))} min")
    url, text = url.strip(), text.strip()
    if url:
        if not url.lower().startswith(("http://", "https://")):
            raise InputError("url: give an http:// or https:// address")
        result = fetcher.fetch(url)
        document = Document(url, data=result.data, content_type=result.content_type)
        kind, payload = "url", url
    else:
        document = Document(PASTED_TEXT, data=text.encode())
        kind, payload = "text", text
    extraction = extract_document(document)
    if extraction.error is not None:
        raise extraction.error
    if not extraction.events:
        raise InputError("no event found: an announcement needs at least an event name and a date")
    return state.moderation.submit(kind, payload, submitter=state.submitter_hash(address), events=extraction.events)


@router.post("/api/submissions", status_code=201, response_model=SubmissionPublic, tags=["moderation"],
             summary="Submit a URL or text; returns the extraction preview",
             responses={400: {"description": "Bad input, a blocked address, or no event found."},
                        429: {"description": "Too many submissions from this client."},
                        502: {"description": "The URL could not be fetched."}})
def create_submission(request: Request, body: SubmissionCreate, state: StateDep, fetcher: FetcherDep) -> Response:
    """Extract the events of a URL or pasted text and queue them for moderation.

    Private and local addresses are refused; each client may submit a few times per 10 minutes.
    """
    submission = submit(request, state, fetcher, url=body.url or "", text=body.text or "")
    return _json(submission_public(submission), 201)


@router.get("/api/submissions", response_model=SubmissionList, tags=["moderation"], responses=AUTH_RESPONSES,
            summary="The moderation queue (moderator)")
def list_submissions(state: StateDep, _: ModeratorDep,
                     status: Annotated[str, Query(pattern="^(pending|approved|rejected|all)$")] = "pending",
                     limit: Annotated[int, Query(ge=1, le=200)] = QUEUE_PAGE,
                     after: Annotated[int | None, Query(ge=0)] = None) -> Response:
    """Submissions with one status (``all`` for every one), oldest first."""
    found = state.moderation.submissions(None if status == "all" else status, limit=limit, after=after)
    return _json(SubmissionList(data=[submission_public(s) for s in found], count=len(found),
                                next=found[-1].id if len(found) == limit else None))


@router.post("/api/submissions/{submission_id}/approve", response_model=Approval, tags=["moderation"],
             responses={**AUTH_RESPONSES, 404: {"description": "No such submission."},
                        409: {"description": "Already decided."}},
             summary="Approve a submission: its events enter the catalog (moderator)")
def approve_submission(submission_id: int, state: StateDep, token: ModeratorDep,
                       decision: Decision | None = None) -> Response:
    """Ingest the previewed events as the document ``submission:<id>``."""
    submission, result = state.moderation.approve(submission_id, actor=token.name,
                                                  note=decision.note if decision else None)
    return _json(Approval(submission=submission_public(submission), event_ids=result.event_ids, new=result.new,
                          updated=result.updated))


@router.post("/api/submissions/{submission_id}/reject", response_model=SubmissionPublic, tags=["moderation"],
             responses={**AUTH_RESPONSES, 404: {"description": "No such submission."},
                        409: {"description": "Already decided."}},
             summary="Reject a submission (moderator)")
def reject_submission(submission_id: int, state: StateDep, token: ModeratorDep,
                      decision: Decision | None = None) -> Response:
    """Mark the submission rejected; the catalog is not touched."""
    submission = state.moderation.reject(submission_id, actor=token.name, note=decision.note if decision else None)
    return _json(submission_public(submission))


@router.patch("/api/events/{event_id}", response_model=EventPublic, tags=["moderation"],
              responses={**AUTH_RESPONSES, 404: {"description": "No such event."}},
              summary="Edit an event's fields (moderator; some fields admin only)")
def edit_event(request: Request, event_id: str, changes: EventUpdate, state: StateDep,
               token: ModeratorDep) -> Response:
    """Change the given fields; every change is recorded in the audit log."""
    event = state.moderation.edit_event(event_id, changes.model_dump(mode="json", exclude_unset=True),
                                        actor=token.name, role=token.role)
    return _json(event_public(event, str(request.base_url)))


@router.delete("/api/events/{event_id}", status_code=204, tags=["moderation"],
               responses={**AUTH_RESPONSES, 404: {"description": "No such event."}},
               summary="Delete an event (admin)")
def delete_event(event_id: str, state: StateDep, token: AdminDep) -> Response:
    """Delete the event with its sources; the audit log keeps what it was."""
    state.moderation.delete_event(event_id, actor=token.name)
    return Response(status_code=204, headers=NO_STORE)


@router.get("/api/audit", response_model=AuditList, tags=["moderation"], responses=AUTH_RESPONSES,
            summary="Recorded changes, newest first (admin)")
def list_audit(state: StateDep, _: AdminDep, limit: Annotated[int, Query(ge=1, le=500)] = 100,
               before: Annotated[int | None, Query(ge=1)] = None,
               target: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    """Who changed what, when: approvals, rejections, edits, deletes, tokens created and revoked."""
    records = state.moderation.audit(limit=limit, before=before, target=target)
    return _json(AuditList(data=[audit_public(record) for record in records],
                           next=records[-1].id if len(records) == limit else None))


# -- pages ----------------------------------------------------------------------------------------

def session_binding(request: Request) -> str:
    """What CSRF tokens are bound to: a hash of the session cookie, or "" for a visitor."""
    session = request.cookies.get(SESSION_COOKIE)
    return hashlib.sha256(session.encode()).hexdigest() if session else ""


def session_token(request: Request, state: ModerationState) -> Token | None:
    """The moderator (or admin) token kept in the session cookie, if it is still valid."""
    token = state.moderation.verify_token(request.cookies.get(SESSION_COOKIE, ""))
    return token if token is not None and role_allows(token.role, "moderator") else None


def _set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def form_page(request: Request, state: ModerationState, template: str, context: dict[str, Any],
              status: int = 200) -> HTMLResponse:
    """A page with forms: a CSRF token for the current session in the context and the cookie; never cached."""
    binding = session_binding(request)
    token = request.cookies.get(CSRF_COOKIE)
    fresh = token is None or not state.csrf.valid(token, binding)
    if fresh:
        token = state.csrf.mint(binding)
    response = render(request, template, {**context, "csrf_token": token}, status)
    response.headers.update(NO_STORE)
    if fresh:
        _set_cookie(response, request, CSRF_COOKIE, str(token))
    return response


def _message(error: CityEventsError) -> str:
    """What a page may tell the user about an error (server-side failures say less)."""
    if error.status >= 500 and not isinstance(error, FetchError):
        LOGGER.error("moderation page failed: %s", error)
        return "the server could not complete the request; please try again later"
    return str(error)


@router.get("/submit", response_class=HTMLResponse, include_in_schema=False, name="submit")
def submit_form(request: Request, state: StateDep) -> Response:
    """The submission form."""
    return form_page(request, state, "moderation/submit.html", {"submission": None, "events": [], "error": None,
                                                                 "url": "", "text": ""})


@router.post("/submit", response_class=HTMLResponse, include_in_schema=False)
def submit_page(request: Request, state: StateDep, fetcher: FetcherDep,
                csrf_token: Annotated[str, Form()] = "", url: Annotated[str, Form()] = "",
                text: Annotated[str, Form()] = "") -> Response:
    """Queue a submission and show what was found in it; a bad form comes back with its error shown."""
    context: dict[str, Any] = {"submission": None, "events": [], "error": None, "url": url[:MAX_URL],
                               "text": text[:MAX_TEXT]}
    try:
        state.csrf.check(request, csrf_token, session_binding(request))
        if bool(url.strip()) == bool(text.strip()):
            raise InputError("give either a URL or the announcement's text")
        if len(url) > MAX_URL or len(text) > MAX_TEXT:
            raise InputError(f"a URL may have up to {MAX_URL:,} characters and a text up to {MAX_TEXT:,}")
        submission = submit(request, state, fetcher, url=url, text=text)
    except CityEventsError as error:
        return form_page(request, state, "moderation/submit.html", {**context, "error": _message(error)},
                         error.status)
    context.update(submission=submission, events=_preview_events(submission), url="", text="")
    return form_page(request, state, "moderation/submit.html", context)


@router.get("/moderate", response_class=HTMLResponse, include_in_schema=False, name="moderate")
def moderate(request: Request, state: StateDep, approved: int | None = None, rejected: int | None = None,
             added: int | None = None) -> Response:
    """The moderation queue, or the sign-in form."""
    token = session_token(request, state)
    if token is None:
        return form_page(request, state, "moderation/login.html", {"error": None})
    notice = None
    if approved is not None:
        notice = f"Submission {approved} approved: {added or 0} new event{'' if added == 1 else 's'} in the catalog."
    elif rejected is not None:
        notice = f"Submission {rejected} rejected."
    return _queue(request, state, token, notice=notice)


def _queue(request: Request, state: ModerationState, token: Token, *, notice: str | None = None,
           error: str | None = None, status: int = 200) -> HTMLResponse:
    pending = state.moderation.submissions("pending", limit=QUEUE_PAGE)
    items = [(submission, _preview_events(submission)) for submission in pending]
    return form_page(request, state, "moderation/queue.html",
                     {"token": token, "items": items, "notice": notice, "error": error}, status)


@router.post("/moderate/login", response_class=HTMLResponse, include_in_schema=False)
def login(request: Request, state: StateDep, csrf_token: Annotated[str, Form()] = "",
          token: Annotated[str, Form(max_length=200)] = "") -> Response:
    """Sign in with a moderator or admin token, kept in an HttpOnly, SameSite=Strict cookie."""
    try:
        state.csrf.check(request, csrf_token, session_binding(request))
        found = state.moderation.verify_token(token.strip())
        if found is None:
            raise Unauthorized("that token is not valid (or was revoked)")
        if not role_allows(found.role, "moderator"):
            raise Forbidden("that token may not moderate")
    except CityEventsError as error:
        return form_page(request, state, "moderation/login.html", {"error": _message(error)}, error.status)
    LOGGER.info("%s %r signed in to /moderate", found.role, found.name)
    response = RedirectResponse("/moderate", status_code=303, headers=NO_STORE)
    _set_cookie(response, request, SESSION_COOKIE, token.strip(), max_age=SESSION_MAX_AGE)
    return response


@router.post("/moderate/logout", include_in_schema=False)
def logout(request: Request, state: StateDep, csrf_token: Annotated[str, Form()] = "") -> Response:
    """Sign out: forget the session cookie."""
    try:
        state.csrf.check(request, csrf_token, session_binding(request))
    except CityEventsError as error:
        return render(request, "error.html", {"title": "Forbidden", "message": _message(error)}, error.status)
    response = RedirectResponse("/moderate", status_code=303, headers=NO_STORE)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
    return response


@router.post("/moderate/submissions/{submission_id}/{decision}", response_class=HTMLResponse,
             include_in_schema=False)
def decide(request: Request, submission_id: int, decision: str, state: StateDep,
           csrf_token: Annotated[str, Form()] = "", note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Approve or reject a submission from the queue page."""
    token = session_token(request, state)
    if token is None:
        return RedirectResponse("/moderate", status_code=303, headers=NO_STORE)
    try:
        state.csrf.check(request, csrf_token, session_binding(request))
        if decision == "approve":
            _, result = state.moderation.approve(submission_id, actor=token.name, note=note)
            target = f"/moderate?approved={submission_id}&added={result.new}"
        elif decision == "reject":
            state.moderation.reject(submission_id, actor=token.name, note=note)
            target = f"/moderate?rejected={submission_id}"
        else:
            raise InputError(f"unknown decision {decision!r}: approve or reject")
    except CityEventsError as error:
        return _queue(request, state, token, error=_message(error), status=error.status)
    return RedirectResponse(target, status_code=303, headers=NO_STORE)


def _preview_events(submission: Submission) -> list[Event]:
    return [event_from_record(record) for record in submission.preview]
