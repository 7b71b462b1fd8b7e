"""Sample postings shipped with JobDeck, to try it before a first search.

`jobs.json.gz` holds jobspy-shaped rows (dicts keyed by python-jobspy's column
names, JSON-native values, None when missing), written by `generate.py`:
    python -m server.sample.generate --sample
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from typing import Any

__all__ = ["load_sample_rows"]

SAMPLE_FILE = "jobs.json.gz"


def load_sample_rows() -> list[dict[str, Any]]:
    """The shipped sample postings, as a list of jobspy-shaped dicts."""
    data = resources.files(__package__).joinpath(SAMPLE_FILE).read_bytes()
    rows = json.loads(gzip.decompress(data))
    if not isinstance(rows, list):
        raise ValueError(f"{SAMPLE_FILE} must hold a JSON list of postings")
    return rows
