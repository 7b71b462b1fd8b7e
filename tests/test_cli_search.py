"""`jobdeck search`: per-board progress, a summary, and exit 1 when every board failed."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.replay.scenarios import reset, with_boards, write_scenario
from tests.server_process import ServerProcess

ENGLISH = json.loads((Path(__file__).parent.parent / "pwa" / "i18n" / "en.json").read_text(encoding="utf-8"))


def run_search(tmp_path, *args, scenario=None, log_level=None):
    """``jobdeck search`` in a subprocess; with ``scenario``, its worker gets replayed board answers."""
    env_home = tmp_path / "home"
    env = dict(os.environ, JOBDECK_RETRY_BACKOFF_SECONDS="0")
    if scenario:
        env["JOBDECK_TEST_REPLAY"] = str(write_scenario(scenario, tmp_path / f"{scenario}.json"))
    level = ["--log-level", log_level] if log_level else []
    return subprocess.run([sys.executable, "-m", "server.cli", "--home", str(env_home), *level, "search", *args],
                          capture_output=True, text=True, timeout=120, env=env)


def failure_line(site, state, kind):
    """The line the app's own English words a board's failure with: what happened, what to try."""
    return f"  {site:<14} {ENGLISH[f'runState.board.{state}']}: {ENGLISH[f'advice.{kind}']}"


def test_a_search_shows_each_boards_progress_and_stores_what_they_found(tmp_path):
    done = run_search(tmp_path, "python engineer", "--location", "New York, NY", "--boards",
                      "indeed,linkedin,zip_recruiter", "--results", "10", "--distance", "25",
                      scenario="ALL_BOARDS_OK")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Searching indeed, linkedin, zip_recruiter for “python engineer” in New York, NY")
    for site, found in (("indeed", 5), ("linkedin", 5), ("zip_recruiter", 4)):
        assert any(line.split()[:2] == [site, "searching…"] for line in lines), site
        assert f"  {site:<14} {found} found, {found} new, 0 updated" in lines
    assert lines[-1] == "Done: 14 postings, 14 new. Run state: done."
    with sqlite3.connect(tmp_path / "home" / "jobdeck.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM jobs").fetchone()[0] == 14
        params = json.loads(db.execute("SELECT params FROM search_runs").fetchone()[0])
    assert params["distance"] == 25 and params["location"] == "New York, NY"


def test_one_board_failing_is_reported_but_the_search_succeeds(tmp_path):
    done = run_search(tmp_path, "python engineer", "--boards", "indeed,linkedin", "--results", "10",
                      scenario="INDEED_429")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(attempt 2)" in done.stdout  # retried before being called blocked
    assert failure_line("indeed", "blocked", "blocked") in done.stdout.splitlines()
    assert "  indeed         Blocked: The board refused the request" in done.stdout
    assert done.stdout.splitlines()[-1] == "Done: 5 postings, 5 new. Run state: partial."


def test_boards_that_cannot_be_reached_are_worded_as_the_app_words_them(tmp_path):
    # No scenario: every board's request fails as with no internet.
    done = run_search(tmp_path, "python developer", "--location", "Taipei", "--boards", "indeed,linkedin",
                      "--results", "5", "--country", "taiwan")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Searching indeed, linkedin for “python developer” in Taipei" in done.stdout
    lines = done.stdout.splitlines()
    for site in ("indeed", "linkedin"):  # one line each: the board, what happened, what to try
        assert failure_line(site, "failed", "network") in lines
        assert f"  {site:<14} Failed: The board could not be reached. Check your internet connection" in done.stdout
    assert "no network in tests" not in done.stdout + done.stderr  # not the raw exception
    assert "Error" not in done.stdout and "https://" not in done.stdout
    assert lines[-1] == "Done: 0 postings, 0 new. Run state: failed."


def test_with_debug_logging_a_failed_board_also_shows_what_it_said(tmp_path):
    done = run_search(tmp_path, "python developer", "--boards", "linkedin", "--results", "5", log_level="debug")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    said = lines.index(failure_line("linkedin", "failed", "network")) + 1
    assert lines[said].startswith(" " * 17 + ENGLISH["run.details"] + ": ")
    assert "only loopback is allowed" in lines[said]  # the board's own reason


def test_bad_arguments_are_refused_before_any_board_is_asked(tmp_path):
    done = run_search(tmp_path, "python", "--boards", "monster")
    assert done.returncode == 2
    assert "monster" in done.stderr


def test_without_flags_the_defaults_chosen_in_settings_apply(tmp_path):
    assert run_search(tmp_path, "python", "--boards", "monster").returncode == 2  # creates the home and database
    with sqlite3.connect(tmp_path / "home" / "jobdeck.sqlite3") as db:
        db.executemany("INSERT INTO preferences (key, value, updated_at) VALUES (?, ?, 0)",
                       [("default_boards", '["zip_recruiter"]'), ("default_country", '"taiwan"')])
    done = run_search(tmp_path, "python developer")
    assert "Searching zip_recruiter for “python developer”" in done.stdout, done.stdout + done.stderr


def test_with_jobdeck_running_the_search_runs_in_that_server(tmp_path):
    # Only the server's workers get the replayed boards: here, the guard would fail every board.
    scenario = write_scenario("ALL_BOARDS_OK", tmp_path / "replay.json")
    server = ServerProcess(tmp_path / "home", env={"JOBDECK_TEST_REPLAY": str(scenario),
                                                   "JOBDECK_MAX_CONCURRENT_RUNS": "1"}).start()
    try:
        done = run_search(tmp_path, "python engineer", "--boards", "indeed,linkedin", "--results", "10")
        assert done.returncode == 0, done.stdout + done.stderr
        lines = done.stdout.splitlines()
        assert lines[0] == (f"Searching indeed, linkedin for “python engineer” (run 1, through JobDeck at "
                            f"{server.url})")
        assert "  indeed         5 found, 5 new, 0 updated" in lines
        assert "  linkedin       5 found, 5 new, 0 updated" in lines
        assert lines[-1] == "Done: 10 postings, 10 new. Run state: done."

        here = run_search(tmp_path, "python engineer", "--boards", "indeed", "--in-process")
        assert here.returncode == 1 and "through JobDeck" not in here.stdout  # no replay in this process
    finally:
        server.stop()
    with sqlite3.connect(tmp_path / "home" / "jobdeck.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM api_tokens").fetchone()[0] == 0  # its token is gone
        assert db.execute("SELECT state FROM search_runs ORDER BY id").fetchall() == [("done",), ("failed",)]


def test_through_the_running_server_a_board_that_cannot_be_reached_is_worded_as_in_the_app(tmp_path):
    scenario = write_scenario(with_boards(linkedin=reset("linkedin")), tmp_path / "replay.json")
    server = ServerProcess(tmp_path / "home", env={"JOBDECK_TEST_REPLAY": str(scenario)}).start()
    try:
        done = run_search(tmp_path, "python engineer", "--boards", "indeed,linkedin", "--results", "10")
    finally:
        server.stop()
    assert done.returncode == 0, done.stdout + done.stderr  # one board delivered
    lines = done.stdout.splitlines()
    assert "through JobDeck at" in lines[0]
    assert failure_line("linkedin", "failed", "network") in lines
    assert "Connection" not in done.stdout and "reset" not in done.stdout  # not the raw exception
    assert lines[-1] == "Done: 5 postings, 5 new. Run state: partial."


def test_ctrl_c_cancels_the_run_in_the_server(tmp_path):
    import signal

    scenario = write_scenario("GOOGLE_HANGS", tmp_path / "replay.json")
    server = ServerProcess(tmp_path / "home", env={"JOBDECK_TEST_REPLAY": str(scenario)}).start()
    try:
        search = subprocess.Popen([sys.executable, "-m", "server.cli", "--home", str(tmp_path / "home"), "search",
                                   "python engineer", "--boards", "google"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert search.stdout.readline().startswith("Searching google")
        assert search.stdout.readline().split() == ["google", "searching…"]  # the board is being asked
        search.send_signal(signal.SIGINT)
        out, err = search.communicate(timeout=60)
        assert search.returncode == 130, out + err
        assert "Cancelled" in out
    finally:
        server.stop()
    with sqlite3.connect(tmp_path / "home" / "jobdeck.sqlite3") as db:
        assert db.execute("SELECT state FROM search_runs").fetchall() == [("cancelled",)]
        assert db.execute("SELECT count(*) FROM api_tokens").fetchone()[0] == 0


def test_a_search_opens_the_database_once(tmp_path, monkeypatch, capsys):
    from server.cli import main
    from server.db import Database

    opened = []
    real_open = Database.open

    async def counted_open(self):
        opened.append(self.path)
        await real_open(self)

    monkeypatch.setattr(Database, "open", counted_open)
    monkeypatch.setenv("JOBDECK_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("JOBDECK_RETRY_BACKOFF_SECONDS", "0")
    home = tmp_path / "home"
    scenario = write_scenario("ALL_BOARDS_OK", tmp_path / "replay.json")
    server = ServerProcess(home, env={"JOBDECK_TEST_REPLAY": str(scenario)}).start()
    try:
        assert main(["--home", str(home), "search", "python engineer", "--boards", "indeed"]) == 0
        assert len(opened) == 1, "through the running server: preferences, then its token made and removed"
        assert main(["--home", str(home), "search", "python engineer", "--boards", "indeed", "--in-process"]) == 1
        assert len(opened) == 2, "here: preferences, then the run"
    finally:
        server.stop()
    out = capsys.readouterr().out
    assert "through JobDeck" in out and failure_line("indeed", "failed", "network") in out
    with sqlite3.connect(home / "jobdeck.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM api_tokens").fetchone()[0] == 0


def test_a_board_the_run_ended_without_is_worded_too():
    """Cancelled: no advice (there is nothing to try); a worker that stopped: the app's general advice."""
    from server.commands.board_advice import board_failure

    english = json.loads((Path(__file__).parents[1] / "pwa" / "i18n" / "en.json").read_text(encoding="utf-8"))
    assert board_failure("cancelled", None, None) == "Cancelled"
    assert board_failure("failed", None, "The worker stopped before this board answered.") == (
        f"Failed: {english['advice.error']}")
