"""`jobdeck search`: per-board progress, a summary, and exit 1 when every board failed."""

import subprocess
import sys


def run_search(tmp_path, *args):
    env_home = tmp_path / "home"
    return subprocess.run([sys.executable, "-m", "server.cli", "--home", str(env_home), "search", *args],
                          capture_output=True, text=True, timeout=120)


def test_every_board_failing_exits_non_zero_with_each_boards_error(tmp_path):
    done = run_search(tmp_path, "python developer", "--location", "Taipei", "--boards", "indeed,linkedin",
                      "--results", "5", "--country", "taiwan")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Searching indeed, linkedin for “python developer” in Taipei" in done.stdout
    assert "indeed" in done.stdout and "FAILED" in done.stdout
    assert "only loopback is allowed" in done.stdout  # the board's own reason, not "0 jobs"
    assert "Run state: failed" in done.stdout


def test_bad_arguments_are_refused_before_any_board_is_asked(tmp_path):
    done = run_search(tmp_path, "python", "--boards", "monster")
    assert done.returncode == 2
    assert "monster" in done.stderr


def test_without_flags_the_defaults_chosen_in_settings_apply(tmp_path):
    import sqlite3

    assert run_search(tmp_path, "python", "--boards", "monster").returncode == 2  # creates the home and database
    with sqlite3.connect(tmp_path / "home" / "jobdeck.sqlite3") as db:
        db.executemany("INSERT INTO preferences (key, value, updated_at) VALUES (?, ?, 0)",
                       [("default_boards", '["zip_recruiter"]'), ("default_country", '"taiwan"')])
    done = run_search(tmp_path, "python developer")
    assert "Searching zip_recruiter for “python developer”" in done.stdout, done.stdout + done.stderr
