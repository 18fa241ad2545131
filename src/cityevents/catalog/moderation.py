"""Moderation over the catalog: API tokens with roles, the submissions queue, event edits and deletes.

    moderation = Moderation(catalog)
    token, plain = moderation.create_token("alice", "moderator")     # plain is shown once, never stored
    submission = moderation.submit("text", text, submitter=keyed_hash, events=extracted)
    moderation.approve(submission.id, actor="alice")                   # ingests "submission:<id>"

Tokens are stored as the SHA-256 of the token: a database leak yields no usable token, and a
32-byte random token needs no slow hash (there is nothing to brute-force). Roles are ranked:
an admin may do everything a moderator may.

Every change (approve, reject, edit, delete, token created or revoked) writes an :data:`audit_log`
row naming the actor (a token name, or ``"cli"``), the time, the action, its target and details,
in the same transaction as the change itself. The one exception is an approval: the catalog's
ingest runs in its own transaction, so the submission is first claimed (pending -> approved, with
its audit row), then ingested, and put back to pending (audited as ``submission.approve_failed``)
if the ingest fails.

An edit is a claim, like a document's: from document ``moderation:<actor>`` with the extractor
``moderation``, stating the edited fields (the whole date or place group when one of its fields is
edited) and naming them in its ``Source.fields``. Merging gives such a claim the last word on those
fields (:mod:`cityevents.catalog.merge`), so reading a changed document again re-merges the event
around the edit instead of undoing it. Each field is set by one moderator's claim at most: a later
edit by someone else moves the field to their claim.

A deleted event leaves tombstones (:func:`cityevents.catalog.store.delete_event`): reading its
documents again does not re-create it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from cityevents.catalog import db, store
from cityevents.catalog.merge import EDIT_EXTRACTOR, field_group
from cityevents.catalog.records import CatalogEvent, event_from_record, event_from_row, record_from_event
from cityevents.catalog.schema import api_tokens, audit_log, event_sources, events, submissions
from cityevents.catalog.store import EDIT_DOCUMENT_PREFIX, Catalog, IngestResult
from cityevents.errors import AlreadyDecided, CatalogError, Forbidden, InputError, NotFound
from cityevents.extract.gazetteer import get_gazetteer
from cityevents.model import AttendanceMode, Event, Source, Status, fold

LOGGER = logging.getLogger(__name__)

ROLES = ("moderator", "admin")  # in rank order: each role may do what the ones before it may
KINDS = ("url", "text")
STATUSES = ("pending", "approved", "rejected")
CLI_ACTOR = "cli"
TOKEN_BYTES = 32
LAST_USED_RESOLUTION = timedelta(minutes=1)  # last_used_at is written at most this often per token
MAX_NAME = 100
MAX_NOTE = 2000
# Fields each role may edit (rules as data); an admin may also edit everything a moderator may.
ROLE_FIELDS: dict[str, tuple[str, ...]] = {
    "moderator": ("name", "start", "end", "city", "region", "country", "country_code", "venue", "description",
                  "url", "status", "attendance_mode", "topics", "organizers"),
    "admin": ("lat", "lon", "timezone", "aliases", "part_of", "series", "edition", "previous_start"),
}
DATE_FIELDS = frozenset({"start", "end", "previous_start"})
FLOAT_FIELDS = frozenset({"lat", "lon"})
LIST_FIELDS = frozenset({"topics", "organizers", "aliases"})
REQUIRED_FIELDS = frozenset({"name"})
NON_NULL_TEXT = frozenset({"description"})  # cleared to "", not None
FIELD_LIMITS = {"description": 20_000}  # longest text accepted per field; others MAX_TEXT_FIELD
MAX_TEXT_FIELD = 500


@dataclass(frozen=True)
class Token:
    """An API token as stored: never the token itself."""

    name: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


@dataclass(frozen=True)
class Submission:
    """A proposed URL or text and the events extracted from it (``preview``, as catalog records)."""

    id: int
    kind: str
    payload: str
    submitter: str
    status: str
    preview: list[dict[str, Any]]
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    note: str | None

    @property
    def document(self) -> str:
        """The document key its events are ingested under."""
        return f"submission:{self.id}"

    def events(self) -> list[Event]:
        """The previewed events, each citing this submission as its source."""
        found = []
        for record in self.preview:
            event = event_from_record(record)
            event.sources = [Source(document=self.document, extractor=record.get("extractor") or "text")]
            found.append(event)
        return found


@dataclass(frozen=True)
class AuditRecord:
    """One recorded change: who, when, what."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    details: dict[str, Any]


def hash_token(token: str) -> str:
    """The stored form of a token: SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def role_allows(role: str, needed: str) -> bool:
    """Whether ``role`` may do what ``needed`` may (an admin may do what a moderator may)."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def preview_records(events: list[Event]) -> list[dict[str, Any]]:
    """Extracted events as JSON records for a submission's preview (with the extractor that read them)."""
    return [{**record_from_event(event), "extractor": event.sources[0].extractor if event.sources else "text"}
            for event in events]


class Moderation:
    """Tokens, submissions, edits and the audit log over one catalog's database.

    Writes take the database's write lock (:func:`cityevents.catalog.db.write_connection`), one
    transaction per change, audit row included.
    """

    def __init__(self, catalog: Catalog) -> None:
        """Work on ``catalog`` (opened, hence migrated, by :func:`cityevents.catalog.open_catalog`)."""
        self.catalog = catalog
        self.engine = catalog.engine

    # -- tokens ---------------------------------------------------------------------------------

    def create_token(self, name: str, role: str, *, actor: str = CLI_ACTOR) -> tuple[Token, str]:
        """Create a token; the plain token is returned here and never again.

        Args:
            name: a unique name for the token (who holds it); it names the actor in the audit log.
            role: ``"admin"`` or ``"moderator"``.
            actor: who creates it, for the audit log.

        Returns:
            The stored token and the plain token.

        Raises:
            InputError: for a blank or taken name, or an unknown role.
        """
        name = _clean_name(name)
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
        plain = secrets.token_urlsafe(TOKEN_BYTES)
        now = _now()
        with self._writing("create a token") as conn:
            if conn.execute(sa.select(api_tokens.c.id).where(api_tokens.c.name == name)).first() is not None:
                raise InputError(f"a token named {name!r} already exists")
            conn.execute(sa.insert(api_tokens).values(name=name, role=role, token_hash=hash_token(plain),
                                                      created_at=now, revoked=False))
            _audit(conn, actor, "token.create", f"token:{name}", {"role": role})
        LOGGER.info("created %s token %r", role, name)
        return Token(name=name, role=role, created_at=now, last_used_at=None, revoked=False), plain

    def tokens(self) -> list[Token]:
        """Every token, revoked ones included, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(api_tokens).order_by(api_tokens.c.name)).all()
        return [_token(row) for row in rows]

    def verify_token(self, plain: str) -> Token | None:
        """The live token ``plain`` is, or ``None`` (unknown or revoked); records when it was last used."""
        if not plain:
            return None
        digest = hash_token(plain)
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(api_tokens).where(api_tokens.c.token_hash == digest)).first()
        if row is None or row.revoked:
            return None
        now = _now()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
            with self._writing("record a token's use") as conn:
                conn.execute(sa.update(api_tokens).where(api_tokens.c.id == row.id).values(last_used_at=now))
        return _token(row)

    def revoke_token(self, name: str, *, actor: str = CLI_ACTOR) -> None:
        """Revoke a token by name; it stops working at once.

        Raises:
            NotFound: when there is no live token with that name.
        """
        with self._writing("revoke a token") as conn:
            updated = conn.execute(sa.update(api_tokens).where(api_tokens.c.name == name,
                                                               api_tokens.c.revoked.is_(False))
                                   .values(revoked=True))
            if updated.rowcount == 0:
                raise NotFound(f"no live token named {name!r}")
            _audit(conn, actor, "token.revoke", f"token:{name}", {})
        LOGGER.info("revoked token %r", name)

    # -- submissions ----------------------------------------------------------------------------

    def submit(self, kind: str, payload: str, *, submitter: str, events: list[Event]) -> Submission:
        """Queue a submission with its extraction preview.

        Args:
            kind: ``"url"`` or ``"text"``.
            payload: the URL or the text.
            submitter: a keyed hash of the client's address (never the address itself).
            events: what extraction found in it.

        Returns:
            The pending submission.

        Raises:
            InputError: for an unknown kind.
        """
        if kind not in KINDS:
            raise InputError(f"unknown submission kind {kind!r}: use one of {', '.join(KINDS)}")
        values = {"kind": kind, "payload": payload, "submitter_hash": submitter, "status": "pending",
                  "preview": preview_records(events), "created_at": _now()}
        with self._writing("queue a submission") as conn:
            key = conn.execute(sa.insert(submissions).values(**values)).inserted_primary_key
            assert key is not None  # a single-row insert always has one
            row = conn.execute(sa.select(submissions).where(submissions.c.id == key[0])).one()
        LOGGER.info("submission %d (%s): %d events waiting for moderation", row.id, kind, len(events))
        return _submission(row)

    def submission(self, submission_id: int) -> Submission:
        """One submission.

        Raises:
            NotFound: when there is none with that id.
        """
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(submissions).where(submissions.c.id == submission_id)).first()
        if row is None:
            raise NotFound(f"no submission {submission_id}")
        return _submission(row)

    def submissions(self, status: str | None = "pending", *, limit: int = 50, after: int | None = None) -> list[Submission]:
        """Submissions in the order they arrived (the queue's order).

        Args:
            status: ``"pending"``, ``"approved"``, ``"rejected"``, or ``None`` for all.
            limit: at most this many.
            after: only those with a larger id (the last id of the previous page).

        Raises:
            InputError: for an unknown status.
        """
        statement = sa.select(submissions).order_by(submissions.c.id).limit(limit)
        if status is not None:
            if status not in STATUSES:
                raise InputError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
            statement = statement.where(submissions.c.status == status)
        if after is not None:
            statement = statement.where(submissions.c.id > after)
        with self.engine.connect() as conn:
            return [_submission(row) for row in conn.execute(statement)]

    def approve(self, submission_id: int, *, actor: str, note: str | None = None) -> tuple[Submission, IngestResult]:
        """Approve a pending submission: its previewed events enter the catalog.

        Args:
            submission_id: the submission.
            actor: the token name deciding.
            note: an optional note for the record.

        Returns:
            The decided submission and what the ingest did.

        Raises:
            NotFound: no such submission.
            AlreadyDecided: it was approved or rejected before.
            CatalogError: the ingest failed (the submission is pending again).
        """
        submission = self._decide(submission_id, "approved", actor, note)
        events = submission.events()
        content_hash = hashlib.sha256(json.dumps(submission.preview, sort_keys=True).encode()).hexdigest()
        try:
            result = self.catalog.ingest_document(submission.document, events, content_hash=content_hash)
        except CatalogError as error:
            with self._writing(f"reopen submission {submission_id}") as conn:
                conn.execute(sa.update(submissions).where(submissions.c.id == submission_id)
                             .values(status="pending", decided_at=None, decided_by=None, note=None))
                _audit(conn, actor, "submission.approve_failed", f"submission:{submission_id}", {"error": str(error)})
            raise
        with self._writing(f"record the events of submission {submission_id}") as conn:
            _audit(conn, actor, "submission.ingest", f"submission:{submission_id}",
                   {"events": result.event_ids, "new": result.new, "updated": result.updated})
        return submission, result

    def reject(self, submission_id: int, *, actor: str, note: str | None = None) -> Submission:
        """Reject a pending submission; the catalog is left as it is.

        Raises:
            NotFound: no such submission.
            AlreadyDecided: it was approved or rejected before.
        """
        return self._decide(submission_id, "rejected", actor, note)

    def _decide(self, submission_id: int, status: str, actor: str, note: str | None) -> Submission:
        note = (note or "").strip()[:MAX_NOTE] or None
        action = "submission.approve" if status == "approved" else "submission.reject"
        with self._writing(f"decide submission {submission_id}") as conn:
            row = conn.execute(sa.select(submissions).where(submissions.c.id == submission_id)).first()
            if row is None:
                raise NotFound(f"no submission {submission_id}")
            if row.status != "pending":
                raise AlreadyDecided(f"submission {submission_id} was already {row.status}")
            conn.execute(sa.update(submissions).where(submissions.c.id == submission_id)
                         .values(status=status, decided_at=_now(), decided_by=actor, note=note))
            _audit(conn, actor, action, f"submission:{submission_id}", {"note": note} if note else {})
            row = conn.execute(sa.select(submissions).where(submissions.c.id == submission_id)).one()
        LOGGER.info("submission %d %s by %s", submission_id, status, actor)
        return _submission(row)

    # -- events ---------------------------------------------------------------------------------

    def edit_event(self, event_id: str, changes: Mapping[str, Any], *, actor: str, role: str) -> CatalogEvent:
        """Change some fields of a catalog event.

        Args:
            event_id: the catalog id.
            changes: field -> new value (JSON values: ISO dates, enum values, lists of strings);
                ``None`` clears an optional field.
            actor: the token name.
            role: its role; see :data:`ROLE_FIELDS` for what each may edit.

        Returns:
            The event as stored now.

        Raises:
            InputError: an unknown field, a bad value, or an end before the start.
            Forbidden: a field the role may not edit.
            NotFound: no such event.
        """
        values = _consistent_country({name: _coerce(name, value, role) for name, value in changes.items()})
        now = _now()
        with self._writing(f"edit event {event_id}") as conn:
            row = conn.execute(sa.select(events).where(events.c.id == event_id)).first()
            if row is None:
                raise NotFound(f"no event {event_id!r}")
            event = event_from_row(row)
            before = record_from_event(event)
            for name, value in values.items():
                setattr(event, name, value)
            if event.start is not None and event.end is not None and event.end < event.start:
                raise InputError(f"end {event.end} is before start {event.start}")
            after = record_from_event(event)
            diff = {name: [before[name], after[name]] for name in values if before[name] != after[name]}
            if diff:
                _claim_edit(conn, event_id, f"{EDIT_DOCUMENT_PREFIX}{actor}", after, set(diff), now)
                store.remerge(conn, row, now)
                _audit(conn, actor, "event.edit", f"event:{event_id}", {"changes": diff})
        if diff:
            LOGGER.info("event %s edited by %s: %s", event_id, actor, ", ".join(diff))
        edited = self.catalog.get(event_id)
        if edited is None:  # deleted between the two transactions
            raise NotFound(f"no event {event_id!r}")
        return edited

    def delete_event(self, event_id: str, *, actor: str) -> None:
        """Delete a catalog event for good (sources and conflicts go with it), recording what it was.

        Raises:
            NotFound: no such event.
        """
        with self._writing(f"delete event {event_id}") as conn:
            row = store.delete_event(conn, event_id, _now())
            record = record_from_event(event_from_row(row))
            _audit(conn, actor, "event.delete", f"event:{event_id}", {"event": record})
        LOGGER.info("event %s deleted by %s", event_id, actor)

    # -- audit ----------------------------------------------------------------------------------

    def audit(self, *, limit: int = 100, before: int | None = None, target: str | None = None) -> list[AuditRecord]:
        """Recorded changes, newest first.

        Args:
            limit: at most this many.
            before: only records with a smaller id (the last id of the previous page).
            target: only records about this target (``"event:<id>"``, ``"submission:<id>"``, ...).
        """
        statement = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if before is not None:
            statement = statement.where(audit_log.c.id < before)
        if target is not None:
            statement = statement.where(audit_log.c.target == target)
        with self.engine.connect() as conn:
            return [AuditRecord(id=row.id, at=row.at, actor=row.actor, action=row.action, target=row.target,
                                details=dict(row.details)) for row in conn.execute(statement)]

    @contextmanager
    def _writing(self, what: str) -> Iterator[sa.Connection]:
        """One write transaction under the database's write lock."""
        try:
            with db.write_connection(self.engine) as conn:
                yield conn
        except sa.exc.SQLAlchemyError as error:
            raise CatalogError(f"could not {what}: {error.__class__.__name__}: {error}") from error


def _now() -> datetime:
    return datetime.now(UTC)


def _audit(conn: sa.Connection, actor: str, action: str, target: str, details: dict[str, Any]) -> None:
    conn.execute(sa.insert(audit_log).values(at=_now(), actor=actor, action=action, target=target, details=details))


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise InputError(f"a token name is 1 to {MAX_NAME} printable characters")
    return name


def _token(row: Any) -> Token:
    return Token(name=row.name, role=row.role, created_at=row.created_at, last_used_at=row.last_used_at,
                 revoked=bool(row.revoked))


def _submission(row: Any) -> Submission:
    return Submission(id=row.id, kind=row.kind, payload=row.payload, submitter=row.submitter_hash,
                      status=row.status, preview=list(row.preview), created_at=row.created_at,
                      decided_at=row.decided_at, decided_by=row.decided_by, note=row.note)


def _coerce(name: str, value: Any, role: str) -> Any:
    """A JSON value for an event field, checked and converted to the model's type."""
    if name not in ROLE_FIELDS["moderator"] + ROLE_FIELDS["admin"]:
        raise InputError(f"{name}: not an editable field")
    if not any(name in ROLE_FIELDS[r] for r in ROLES if role_allows(role, r)):
        raise Forbidden(f"{name}: a {role} may not edit this field")
    if value is None:
        if name in REQUIRED_FIELDS:
            raise InputError(f"{name}: cannot be cleared")
        return [] if name in LIST_FIELDS else "" if name in NON_NULL_TEXT else None
    try:
        if name in DATE_FIELDS:
            return date.fromisoformat(value)
        if name == "status":
            return Status(value)
        if name == "attendance_mode":
            return AttendanceMode(value)
        if name in FLOAT_FIELDS:
            number = float(value)
            if not (-90 <= number <= 90 if name == "lat" else -180 <= number <= 180):
                raise ValueError("out of range")
            return number
    except (TypeError, ValueError) as error:
        raise InputError(f"{name}: {value!r} is not valid ({error})") from None
    if name in LIST_FIELDS:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise InputError(f"{name}: expected a list of strings")
        return [_text(name, item) for item in value if item.strip()]
    if not isinstance(value, str):
        raise InputError(f"{name}: expected a string")
    text = _text(name, value)
    if name in REQUIRED_FIELDS and not fold(text):
        raise InputError(f"{name}: cannot be blank")
    if name == "country_code":
        if len(text) != 2 or not text.isalpha():
            raise InputError(f"country_code: {value!r} is not an ISO 3166-1 alpha-2 code")
        text = text.upper()
    return text if name in NON_NULL_TEXT else text or None


def _consistent_country(values: dict[str, Any]) -> dict[str, Any]:
    """Edits keep the country name and its ISO code in step: a code alone brings its name, a known
    name alone brings its code, clearing one clears both, and a pair that disagrees is refused.

    Raises:
        InputError: an unknown code, an unknown name given without a code, or a disagreeing pair.
    """
    if "country" not in values and "country_code" not in values:
        return values
    gazetteer = get_gazetteer()
    name, code = values.get("country"), values.get("country_code")
    by_code = gazetteer.country(code) if code else None
    if code and by_code is None:
        raise InputError(f"country_code: {code!r} is not an ISO 3166-1 alpha-2 code")
    by_name = gazetteer.country(name) if name else None
    if "country_code" not in values:
        if name and by_name is None:
            raise InputError(f"country: {name!r} is not a country cityevents knows; give country_code too")
        return {**values, "country_code": by_name[0] if by_name else None}
    if "country" not in values:
        return {**values, "country": by_code[1] if by_code else None}
    if (name is None) != (code is None) or (by_name and by_code and by_name[0] != by_code[0]):
        raise InputError(f"country {name!r} and country_code {code!r} disagree")
    return values


def _text(name: str, value: str) -> str:
    limit = FIELD_LIMITS.get(name, MAX_TEXT_FIELD)
    if len(value) > limit:
        raise InputError(f"{name}: longer than {limit} characters")
    return value.strip()


def _claim_edit(conn: sa.Connection, event_id: str, document: str, record: dict[str, Any], edited: set[str],
                now: datetime) -> None:
    """Make ``document``'s claim set the edited fields (their whole merge groups) to their values in ``record``.

    The fields leave other moderators' claims, and a claim left setting nothing is dropped, so that
    each field is set by one claim; every claim states the current values of the fields it sets.
    """
    taken = {name for edited_name in edited for name in field_group(edited_name)}
    names = set(taken)
    rows = conn.execute(sa.select(event_sources).where(event_sources.c.event_id == event_id,
                                                       event_sources.c.extractor == EDIT_EXTRACTOR)).all()
    for row in rows:
        if row.document == document:
            names |= set(row.fields)
            continue
        left = set(row.fields) - taken
        if not left:
            conn.execute(sa.delete(event_sources).where(event_sources.c.id == row.id))
        elif left != set(row.fields):
            conn.execute(sa.update(event_sources).where(event_sources.c.id == row.id)
                         .values(fields=_edit_fields(left), record=_edit_record(record, left)))
    values = {"fields": _edit_fields(names), "record": _edit_record(record, names), "seen_at": now}
    updated = conn.execute(sa.update(event_sources).where(
        event_sources.c.event_id == event_id, event_sources.c.document == document,
        event_sources.c.extractor == EDIT_EXTRACTOR).values(**values))
    if updated.rowcount == 0:
        conn.execute(sa.insert(event_sources).values(event_id=event_id, document=document, extractor=EDIT_EXTRACTOR,
                                                     **values))


def _edit_fields(names: set[str]) -> dict[str, str]:
    return {name: EDIT_EXTRACTOR for name in sorted(names)}


def _edit_record(record: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """A claim stating only ``names`` (a record needs a name; an empty one states none)."""
    return {"name": "", **{name: record[name] for name in sorted(names)}}
