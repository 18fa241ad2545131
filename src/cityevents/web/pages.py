"""Server-rendered HTML pages: home, calendar, map, event, city and topic."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
