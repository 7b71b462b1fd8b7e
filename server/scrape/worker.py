"""The scrape worker: ``python -m server.scrape.worker`` with a WorkerRequest on stdin.

The only module that imports jobspy (and so pandas). It calls ``scrape_jobs``
once per board, each in its own thread, and writes one message per board to
stdout as soon as that board is done. A board past its deadline is reported
and abandoned; the process then exits, taking hung threads with it. The
server kills the whole process to cancel a run.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from datetime import date, datetime
from queue import Empty, Queue
from typing import Any

import msgspec

from .messages import BoardFailed, BoardResult, BoardStarted, Message
from .params import WorkerRequest

_BLOCKED_HINTS = ("429", "403", "blocked", "too many requests", "rate limit", "captcha",
                  # A JSON API that answers with a page (Indeed's Cloudflare challenge
                  # comes back as 200 HTML): jobspy only sees the JSON decode fail.
                  "expecting value: line 1 column 1")
_NETWORK_HINTS = ("resolve", "connection", "timed out", "timeout", "network", "unreachable",
                  "ssl", "proxy", "reset")
BLOCKED_ADVICE = ("The board refused the request (rate limit or block). Wait a while, search "
                  "fewer results, or add proxies in Settings.")


def classify(message: str) -> str:
    text = message.lower()
    if any(hint in text for hint in _BLOCKED_HINTS):
        return "blocked"
    if any(hint in text for hint in _NETWORK_HINTS):
        return "network"
    return "error"


def _json_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _json_value(value.item())
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    return value


def frame_rows(frame: Any) -> list[dict[str, Any]]:
    """A jobspy DataFrame as JSON-native dicts (NaN → None, dates → ISO)."""
    return [{k: _json_value(v) for k, v in record.items()} for record in frame.to_dict("records")]


def scrape_board(request: WorkerRequest, site: str) -> Message:
    """One board, with bounded retries when it answers 'blocked'."""
    from jobspy import scrape_jobs

    p = request.params
    attempt = 0
    while True:
        attempt += 1
        try:
            frame = scrape_jobs(
                site_name=[site], search_term=p.term, google_search_term=p.google_term or None,
                location=p.location or None, distance=p.distance, is_remote=p.remote,
                job_type=p.job_type, results_wanted=p.results, country_indeed=p.country or "usa",
                proxies=request.proxies or None, hours_old=p.hours_old,
                fetch_description=p.fetch_descriptions, description_format="markdown", verbose=0)
        except (ValueError, TypeError) as exc:
            return BoardFailed(site, "invalid", str(exc))
        errors = frame.attrs.get("errors", {})
        warnings = [str(w) for w in frame.attrs.get("warnings", {}).get(site, [])]
        if len(frame):
            return BoardResult(site, frame_rows(frame), warnings)
        error = str(errors.get(site) or "")
        kind = classify(error) if error else "no_rows"
        if kind == "blocked" and attempt <= request.retries:
            time.sleep(request.backoff_seconds * 2 ** (attempt - 1))
            _emit(BoardStarted(site, attempt + 1))
            continue
        if kind == "blocked":
            error = f"{error} — {BLOCKED_ADVICE}"
        elif kind == "no_rows" and warnings:  # its own reason, such as a country it does not know
            error = f"The board returned no postings: {'; '.join(warnings)}"
        elif kind == "no_rows":
            error = ("The board returned no postings. It may be unreachable, have blocked the "
                     "request, or have nothing for this search.")
        return BoardFailed(site, kind, error, warnings)


_encoder = msgspec.json.Encoder()
_out_lock = threading.Lock()
_out = None


def _emit(message: Message) -> None:
    with _out_lock:
        _out.write(_encoder.encode(message) + b"\n")
        _out.flush()


def run(request: WorkerRequest) -> None:
    done: Queue[str] = Queue()

    def work(site: str) -> None:
        try:
            _emit(scrape_board(request, site))
        except Exception as exc:  # a parser bug in one board must not lose the others
            _emit(BoardFailed(site, classify(str(exc)), f"{type(exc).__name__}: {exc}"))
        done.put(site)

    pending = set(request.params.boards)
    for site in request.params.boards:
        _emit(BoardStarted(site))
        threading.Thread(target=work, args=(site,), name=f"board-{site}", daemon=True).start()
    deadline = time.monotonic() + request.deadline_seconds
    while pending:
        try:
            pending.discard(done.get(timeout=max(0.0, deadline - time.monotonic())))
        except Empty:
            for site in sorted(pending):
                _emit(BoardFailed(site, "timeout", f"No answer within {request.deadline_seconds:g} "
                                                   "seconds; the board was stopped."))
            break


def main() -> None:
    global _out
    # jobspy or a library may print: keep stdout for the protocol alone.
    _out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    request = msgspec.json.decode(sys.stdin.buffer.read(), type=WorkerRequest)
    run(request)
    _out.flush()
    os._exit(0)  # do not wait for threads of boards that timed out


if __name__ == "__main__":
    main()
