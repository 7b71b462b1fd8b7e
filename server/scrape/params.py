"""What a search asks the boards for: validated before it reaches jobspy."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

__all__ = ["BOARDS", "SearchParams", "WorkerRequest", "BOARD_NOTES"]

Board = Literal["linkedin", "indeed", "zip_recruiter", "glassdoor", "google",
                "bayt", "naukri", "bdjobs", "hellowork"]
BOARDS: tuple[str, ...] = Board.__args__  # type: ignore[attr-defined]
JobType = Literal["fulltime", "parttime", "contract", "temporary", "internship"]

# What users trip over, said where they choose boards (the PWA shows these).
BOARD_NOTES = {
    "linkedin": "Ignores the remote and job type filters; the slowest board (pauses between pages).",
    "indeed": "Needs a country; searches one of about 60.",
    "glassdoor": "Needs a country; knows about 20.",
    "google": "Works best with a full sentence search such as 'python jobs near Taipei'.",
    "zip_recruiter": "United States and Canada only.",
}

Text = Annotated[str, msgspec.Meta(max_length=200)]


class SearchParams(msgspec.Struct, rename="camel", forbid_unknown_fields=True, kw_only=True):
    term: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    location: Text = ""
    boards: Annotated[list[Board], msgspec.Meta(min_length=1, max_length=len(BOARDS))] = \
        msgspec.field(default_factory=lambda: ["indeed", "linkedin"])
    results: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 30
    hours_old: Annotated[int, msgspec.Meta(ge=1, le=24 * 365)] | None = None
    remote: bool = False
    job_type: JobType | None = None
    country: Annotated[str, msgspec.Meta(pattern=r"^[a-z ,]{2,40}$")] | None = None
    distance: Annotated[int, msgspec.Meta(ge=0, le=500)] = 50
    fetch_descriptions: bool = False
    google_term: Text = ""

    def __post_init__(self) -> None:
        if len(set(self.boards)) != len(self.boards):
            raise ValueError("boards: each board may be named once")


class WorkerRequest(msgspec.Struct, kw_only=True):
    """What the server hands a worker on its stdin."""

    params: SearchParams
    proxies: list[str] = []
    deadline_seconds: float = 180
    retries: int = 2
    backoff_seconds: float = 5.0
