"""/submit and /moderate: CSRF protection, the session cookie, and deciding from the queue."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from cityevents.catalog.moderation import Moderation
from cityevents.web.guards import CSRF_COOKIE, CsrfSigner
from cityevents.web.moderation import SESSION_COOKIE

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def _csrf(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    match = CSRF_INPUT.search(response.text)
    assert match is not None
    return match.group(1)


def _login(client: TestClient, token: str) -> None:
    response = client.post("/moderate/login", data={"csrf_token": _csrf(client, "/moderate"), "token": token})
    assert response.status_code == 303 and response.headers["location"] == "/moderate"
    cookie = response.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_submit_form_shows_the_preview(client: TestClient, announcement: str) -> None:
    response = client.post("/submit", data={"csrf_token": _csrf(client, "/submit"), "text": announcement})
    assert response.status_code == 200, response.text
    assert "waiting for a moderator" in response.text
    assert "Ghent Smart Mobility Days" in response.text


def test_an_overlong_url_comes_back_as_a_form_error(client: TestClient, moderation: Moderation) -> None:
    url = "https://example.org/" + "a" * 3000
    response = client.post("/submit", data={"csrf_token": _csrf(client, "/submit"), "url": url})
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    assert "up to 2,000 characters" in response.text
    assert moderation.submissions(None) == []


def test_submit_without_a_valid_csrf_token_is_refused(client: TestClient, announcement: str,
                                                      moderation: Moderation) -> None:
    token = _csrf(client, "/submit")
    client.cookies.delete(CSRF_COOKIE)
    assert client.post("/submit", data={"csrf_token": token, "text": announcement}).status_code == 403  # no cookie
    token = _csrf(client, "/submit")
    assert client.post("/submit", data={"text": announcement}).status_code == 403  # nothing in the form
    assert client.post("/submit", data={"csrf_token": token + "0", "text": announcement}).status_code == 403
    forged = CsrfSigner(b"another secret").mint("")  # well formed, signed with the wrong key
    client.cookies.set(CSRF_COOKIE, forged)
    response = client.post("/submit", data={"csrf_token": forged, "text": announcement})
    assert response.status_code == 403
    assert "did not come from this site" in response.text
    assert moderation.submissions(None) == []  # nothing was queued


def test_login_and_approve_from_the_queue(client: TestClient, tokens: Any, announcement: str) -> None:
    client.post("/submit", data={"csrf_token": _csrf(client, "/submit"), "text": announcement})
    _login(client, tokens.moderator)
    queue = client.get("/moderate")
    assert "Signed in as" in queue.text and "Submission 1" in queue.text
    csrf = CSRF_INPUT.search(queue.text).group(1)  # type: ignore[union-attr]
    response = client.post("/moderate/submissions/1/approve", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert "approved" in client.get(response.headers["location"]).text
    assert [event["name"] for event in client.get("/api/events").json()["data"]] == ["Ghent Smart Mobility Days"]
    assert "Ghent Smart Mobility Days" in client.get("/").text


def test_queue_forms_need_the_session_bound_csrf_token(client: TestClient, tokens: Any, announcement: str) -> None:
    client.post("/submit", data={"csrf_token": _csrf(client, "/submit"), "text": announcement})
    before_login = _csrf(client, "/moderate")
    _login(client, tokens.moderator)
    client.cookies.set(CSRF_COOKIE, before_login)
    refused = client.post("/moderate/submissions/1/reject", data={"csrf_token": before_login})
    assert refused.status_code == 403  # a token minted for the anonymous visitor is not valid once signed in
    assert client.get("/api/submissions", headers=tokens.header(tokens.moderator)).json()["count"] == 1


def test_login_refuses_bad_tokens(client: TestClient, tokens: Any) -> None:
    response = client.post("/moderate/login", data={"csrf_token": _csrf(client, "/moderate"), "token": "wrong"})
    assert response.status_code == 401 and "not valid" in response.text
    assert SESSION_COOKIE not in client.cookies
    assert client.post("/moderate/login", data={"token": tokens.moderator}).status_code == 403  # no CSRF token


def test_decisions_without_a_session_go_back_to_sign_in(client: TestClient) -> None:
    response = client.post("/moderate/submissions/1/approve", data={"csrf_token": _csrf(client, "/moderate")})
    assert response.status_code == 303 and response.headers["location"] == "/moderate"


def test_logout_forgets_the_session(client: TestClient, tokens: Any) -> None:
    _login(client, tokens.moderator)
    csrf = _csrf(client, "/moderate")
    response = client.post("/moderate/logout", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert SESSION_COOKIE not in client.cookies
    assert "Sign in" in client.get("/moderate").text
