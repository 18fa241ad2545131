"""The moderation API: tokens, roles, submissions, decisions, edits, deletes and the audit log."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from cityevents.catalog import Catalog
from cityevents.catalog.moderation import Moderation
from cityevents.catalog.schema import api_tokens, submissions
from cityevents.web.guards import RateLimiter
from cityevents.web.moderation import SUBMISSIONS_PER_WINDOW

YEAR = date.today().year + 1  # as in conftest's announcement


def _error(response, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def _submit_text(client: TestClient, text: str) -> dict:  # type: ignore[type-arg]
    response = client.post("/api/submissions", json={"text": text})
    assert response.status_code == 201, response.text
    return response.json()


def _names(client: TestClient, **params: str) -> list[str]:
    return [event["name"] for event in client.get("/api/events", params=params).json()["data"]]


# -- tokens and roles ---------------------------------------------------------------------------

def test_tokens_are_stored_only_as_their_sha256(moderation: Moderation, catalog: Catalog) -> None:
    _, plain = moderation.create_token("alice", "moderator")
    with catalog.engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(sa.select(api_tokens))]
    assert len(rows) == 1
    assert not any(plain in str(value) for value in rows[0].values())
    assert rows[0]["token_hash"] == hashlib.sha256(plain.encode()).hexdigest()
    assert moderation.verify_token(plain).name == "alice"  # type: ignore[union-attr]
    assert moderation.verify_token(plain + "x") is None
    assert moderation.tokens()[0].last_used_at is not None


def test_token_names_are_unique_and_roles_known(moderation: Moderation) -> None:
    moderation.create_token("alice", "admin")
    with pytest.raises(Exception, match="already exists"):
        moderation.create_token("alice", "moderator")
    with pytest.raises(Exception, match="unknown role"):
        moderation.create_token("bob", "root")


def test_missing_or_invalid_token_is_401(client: TestClient, tokens: Any) -> None:
    _error(client.get("/api/submissions"), 401, "unauthorized")
    _error(client.get("/api/submissions", headers={"Authorization": "Basic abc"}), 401, "unauthorized")
    _error(client.get("/api/submissions", headers=tokens.header("not-a-token")), 401, "unauthorized")
    _error(client.delete("/api/events/abc"), 401, "unauthorized")


def test_revoked_token_is_401(client: TestClient, tokens: Any, moderation: Moderation) -> None:
    assert client.get("/api/submissions", headers=tokens.header(tokens.moderator)).status_code == 200
    moderation.revoke_token("mia")
    _error(client.get("/api/submissions", headers=tokens.header(tokens.moderator)), 401, "unauthorized")


def test_wrong_role_is_403(client: TestClient, tokens: Any) -> None:
    moderator = tokens.header(tokens.moderator)
    _error(client.get("/api/audit", headers=moderator), 403, "forbidden")
    _error(client.delete("/api/events/abc", headers=moderator), 403, "forbidden")
    assert client.get("/api/audit", headers=tokens.header(tokens.admin)).status_code == 200
    assert client.get("/api/submissions", headers=tokens.header(tokens.admin)).status_code == 200


# -- submissions --------------------------------------------------------------------------------

def test_text_submission_preview_approve_then_listed(client: TestClient, announcement: str, tokens: Any) -> None:
    submitted = _submit_text(client, announcement)
    assert submitted["status"] == "pending" and submitted["kind"] == "text"
    [event] = submitted["events"]
    assert event["name"] == "Ghent Smart Mobility Days"
    assert event["start"] == f"{YEAR}-10-14" and event["country_code"] == "BE"
    assert _names(client) == []  # waiting, not listed

    moderator = tokens.header(tokens.moderator)
    queue = client.get("/api/submissions", params={"status": "pending"}, headers=moderator).json()
    assert [item["id"] for item in queue["data"]] == [submitted["id"]]

    approved = client.post(f"/api/submissions/{submitted['id']}/approve", json={"note": "looks right"},
                           headers=moderator)
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["submission"]["status"] == "approved" and body["submission"]["decided_by"] == "mia"
    assert body["new"] == 1
    assert _names(client) == ["Ghent Smart Mobility Days"]
    detail = client.get(f"/api/events/{body['event_ids'][0]}").json()
    assert [source["document"] for source in detail["sources"]] == [f"submission:{submitted['id']}"]
    assert client.get("/api/submissions", headers=moderator).json()["data"] == []

    _error(client.post(f"/api/submissions/{submitted['id']}/approve", headers=moderator), 409, "already_decided")
    _error(client.post("/api/submissions/999/approve", headers=moderator), 404, "not_found")


def test_reject_leaves_the_catalog_unchanged(client: TestClient, announcement: str, tokens: Any, catalog: Catalog) -> None:
    before = catalog.stats()
    submitted = _submit_text(client, announcement)
    moderator = tokens.header(tokens.moderator)
    rejected = client.post(f"/api/submissions/{submitted['id']}/reject", json={"note": "spam"}, headers=moderator)
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected" and rejected.json()["note"] == "spam"
    assert catalog.stats() == before
    assert _names(client) == []
    _error(client.post(f"/api/submissions/{submitted['id']}/approve", headers=moderator), 409, "already_decided")
    listed = client.get("/api/submissions", params={"status": "rejected"}, headers=moderator).json()["data"]
    assert [item["id"] for item in listed] == [submitted["id"]]


def test_submitter_address_is_not_stored(client: TestClient, announcement: str, catalog: Catalog) -> None:
    _submit_text(client, announcement)
    with catalog.engine.connect() as conn:
        row = conn.execute(sa.select(submissions)).one()
    assert "testclient" not in str(dict(row._mapping))
    assert len(row.submitter_hash) == 64


def test_url_submission_is_fetched_and_previewed(client: TestClient) -> None:
    response = client.post("/api/submissions", json={"url": "https://events.example/forum"})
    assert response.status_code == 201, response.text
    assert response.json()["kind"] == "url"
    assert [event["name"] for event in response.json()["events"]] == ["Tallinn Digital Twin Forum"]


@pytest.mark.parametrize("url", ["http://127.0.0.1/events", "http://intranet.example/events",
                                 "http://[::1]/", "http://169.254.169.254/latest/meta-data/"])
def test_url_to_a_private_address_is_refused(client: TestClient, url: str) -> None:
    _error(client.post("/api/submissions", json={"url": url}), 400, "blocked_address")


@pytest.mark.parametrize("body", [{}, {"url": "https://events.example/forum", "text": "x"}, {"text": "  "},
                                  {"url": "ftp://events.example/x"}, {"text": "x", "extra": 1}])
def test_bad_submissions_are_400(client: TestClient, body: dict) -> None:  # type: ignore[type-arg]
    _error(client.post("/api/submissions", json=body), 400, "bad_input")


def test_text_without_an_event_is_400(client: TestClient) -> None:
    _error(client.post("/api/submissions", json={"text": "Nothing to see here."}), 400, "bad_input")


def test_submissions_are_rate_limited_per_client(client: TestClient, announcement: str) -> None:
    for _ in range(SUBMISSIONS_PER_WINDOW):
        assert client.post("/api/submissions", json={"text": "no event"}).status_code == 400
    _error(client.post("/api/submissions", json={"text": announcement}), 429, "rate_limited")


def test_token_bucket_refills_over_the_window() -> None:
    now = [0.0]
    limiter = RateLimiter(2, 60.0, clock=lambda: now[0])
    assert limiter.take("a") is None and limiter.take("a") is None
    assert limiter.take("a") == pytest.approx(30.0)
    assert limiter.take("b") is None  # per client
    now[0] = 30.0
    assert limiter.take("a") is None
    assert limiter.take("a") is not None


# -- edits, deletes and the audit log -----------------------------------------------------------

def _approved_event(client: TestClient, tokens: Any, announcement: str) -> str:
    submitted = _submit_text(client, announcement)
    approved = client.post(f"/api/submissions/{submitted['id']}/approve", headers=tokens.header(tokens.moderator))
    return str(approved.json()["event_ids"][0])


def test_moderator_edits_selected_fields(client: TestClient, announcement: str, tokens: Any) -> None:
    event_id = _approved_event(client, tokens, announcement)
    moderator = tokens.header(tokens.moderator)
    response = client.patch(f"/api/events/{event_id}", headers=moderator,
                            json={"name": "Ghent Velo Days", "topics": ["mobility"], "venue": "ICC Ghent"})
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Ghent Velo Days" and response.json()["venue"] == "ICC Ghent"
    assert _names(client, q="velo") == ["Ghent Velo Days"]  # the full-text index follows
    assert _names(client, topic="data-ai") == []
    detail = client.get(f"/api/events/{event_id}").json()
    assert detail["provenance"]["name"] == ["moderation:mia"]

    _error(client.patch(f"/api/events/{event_id}", headers=moderator, json={"lat": 1.0}), 403, "forbidden")
    _error(client.patch(f"/api/events/{event_id}", headers=moderator, json={"end": f"{YEAR - 1}-01-01"}),
           400, "bad_input")
    _error(client.patch(f"/api/events/{event_id}", headers=moderator, json={"name": None}), 400, "bad_input")
    _error(client.patch(f"/api/events/{event_id}", headers=moderator, json={"topics": ["nope"]}), 400, "bad_input")
    _error(client.patch(f"/api/events/{event_id}", headers=moderator, json={"sources": []}), 400, "bad_input")
    _error(client.patch("/api/events/nope", headers=moderator, json={"name": "x"}), 404, "not_found")
    admin = client.patch(f"/api/events/{event_id}", headers=tokens.header(tokens.admin), json={"lat": 51.0})
    assert admin.status_code == 200 and admin.json()["lat"] == 51.0


def test_country_name_and_code_stay_in_step(client: TestClient, announcement: str, tokens: Any) -> None:
    event_id = _approved_event(client, tokens, announcement)
    moderator = tokens.header(tokens.moderator)

    def patch(body: dict[str, Any]) -> Any:
        return client.patch(f"/api/events/{event_id}", headers=moderator, json=body)

    edited = patch({"country_code": "nl"}).json()
    assert (edited["country"], edited["country_code"]) == ("Netherlands", "NL")
    assert patch({"country": "France"}).json()["country_code"] == "FR"
    for body in ({"country": "Germany", "country_code": "BE"}, {"country_code": "XX"}, {"country": "Atlantis"},
                 {"country": "Belgium", "country_code": None}):
        _error(patch(body), 400, "bad_input")
    assert client.get(f"/api/events/{event_id}").json()["country_code"] == "FR"  # refused edits changed nothing
    cleared = patch({"country": None}).json()
    assert (cleared["country"], cleared["country_code"]) == (None, None)


def test_admin_deletes_and_every_change_is_audited(client: TestClient, announcement: str, tokens: Any) -> None:
    event_id = _approved_event(client, tokens, announcement)
    client.patch(f"/api/events/{event_id}", headers=tokens.header(tokens.moderator), json={"venue": "ICC"})
    rejected = _submit_text(client, announcement.replace("Ghent", "Bruges"))
    client.post(f"/api/submissions/{rejected['id']}/reject", headers=tokens.header(tokens.moderator))
    admin = tokens.header(tokens.admin)
    response = client.delete(f"/api/events/{event_id}", headers=admin)
    assert response.status_code == 204
    _error(client.get(f"/api/events/{event_id}"), 404, "not_found")
    _error(client.delete(f"/api/events/{event_id}", headers=admin), 404, "not_found")
    assert _names(client) == []

    audit = client.get("/api/audit", headers=admin).json()["data"]
    actions = [(record["actor"], record["action"], record["target"]) for record in audit]
    assert actions == [
        ("root", "event.delete", f"event:{event_id}"),
        ("mia", "submission.reject", f"submission:{rejected['id']}"),
        ("mia", "event.edit", f"event:{event_id}"),
        ("mia", "submission.ingest", "submission:1"),
        ("mia", "submission.approve", "submission:1"),
        ("cli", "token.create", "token:mia"),
        ("cli", "token.create", "token:root"),
    ]
    assert audit[0]["details"]["event"]["name"] == "Ghent Smart Mobility Days"
    assert audit[2]["details"]["changes"] == {"venue": [None, "ICC"]}
    assert audit[3]["details"]["events"] == [event_id]
    assert all(record["at"] for record in audit)
    page = client.get("/api/audit", params={"limit": 2}, headers=admin).json()
    older = client.get("/api/audit", params={"before": page["next"]}, headers=admin).json()["data"]
    assert [record["id"] for record in older] == [record["id"] for record in audit[2:]]
