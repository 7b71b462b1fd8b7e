"""Fixtures for the license client tests: a clock, the stand-in service, a store."""

from __future__ import annotations

import pytest

from license.client import LicenseClient
from license.keys import generate_key
from license.storage import MemoryStore

from .fakes import BINDING, TRUST, Clock, FakeService

KEY = generate_key()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(clock: Clock) -> FakeService:
    return FakeService(clock)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def make_client(store, service, clock):
    def make(**kwargs) -> LicenseClient:
        kwargs.setdefault("store", store)
        kwargs.setdefault("transport", service)
        kwargs.setdefault("binding", BINDING)
        kwargs.setdefault("trust", TRUST)
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("timeout", 5.0)
        return LicenseClient(**kwargs)
    return make


@pytest.fixture
async def client(make_client) -> LicenseClient:
    """A client that has activated KEY on this machine."""
    made = make_client()
    await made.start()
    result = await made.activate(KEY)
    assert result.ok, result
    return made
