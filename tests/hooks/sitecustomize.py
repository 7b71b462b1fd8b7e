"""Loaded by every Python subprocess the tests start (tests put this folder on
PYTHONPATH): the network guard, and jobspy's replayed responses when a test
names a scenario in JOBDECK_TEST_REPLAY (else every board answers offline)."""

import os
import sys

if os.environ.get("JOBDECK_TEST_HOOKS"):
    sys.path.insert(0, os.environ["JOBDECK_TEST_HOOKS"])  # the repository root, for `tests`
    from tests import network_guard

    network_guard.install()
    if os.environ.get("JOBDECK_TEST_REPLAY"):
        from tests.replay import install_from_env

        install_from_env()
    else:
        from tests.replay import install_offline

        install_offline()
