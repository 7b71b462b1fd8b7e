"""Time: the high-water mark, a clock set back, a wrong jump forward, and
honest clocks that are merely off."""

from __future__ import annotations

import msgspec

from license.entitlements import is_enabled
from license.state import HIGH_WATER_STEP, Record, State, advance_high_water
from license.storage import MemoryStore

from .conftest import KEY
from .fakes import DAY, HOUR, T0, token


async def test_a_clock_set_back_turns_paid_features_off_until_it_is_right(client, service, clock) -> None:
    service.unreachable()
    for _ in range(20):  # the app runs for 20 days, ticking
        clock.advance(DAY)
        await client.observe()
    assert client.status().state is State.GRACE
    clock.advance(-12 * DAY)  # back to when the lease was fresh
    status = client.status()
    assert (status.state, status.reason) == (State.CLOCK_TAMPERED, "clock_behind_high_water")
    assert is_enabled(status, "alerts", client.now()) == (False, "clock_behind_high_water")
    assert client.refresh_due()  # a clock behind the last attempt asks for an online check
    clock.advance(12 * DAY)
    assert client.status().state is State.GRACE


async def test_the_high_water_survives_a_restart(client, service, clock, make_client) -> None:
    service.unreachable()
    for _ in range(10):
        clock.advance(DAY)
        await client.observe()
    clock.advance(-5 * DAY)
    assert (await make_client(online=lambda: False).start()).state is State.CLOCK_TAMPERED


async def test_an_online_check_sets_things_right_even_with_the_clock_still_back(
        client, service, clock) -> None:
    await client.observe()
    clock.advance(-3 * DAY)  # set back right after activation
    assert client.status().state is State.CLOCK_TAMPERED
    service.offset = 3 * DAY  # the service's clock is the real one
    assert (await client.refresh(force=True)).ok
    assert client.status().state is State.ACTIVE
    assert client.now() == service.now()  # trusted time, not the local clock


async def test_one_wrong_jump_forward_cannot_brick_the_app(client, service, clock) -> None:
    service.unreachable()
    clock.advance(365 * DAY)  # the clock goes wrong by a year
    await client.observe()
    assert not client.status().paid  # a year on, the subscription is over
    clock.advance(-365 * DAY + 2 * HOUR)  # and is corrected
    assert client.status().state is State.CLOCK_TAMPERED  # the mark moved one step only
    clock.advance(HIGH_WATER_STEP)
    assert client.status().state is State.ACTIVE  # a day later, still offline: fine again


async def test_an_honest_clock_that_is_off_is_not_tampering(make_client, service) -> None:
    service.offset = 20 * 60  # the machine's clock is 20 minutes slow
    client = make_client()
    await client.start()
    assert (await client.activate(KEY)).ok
    assert client.status().state is State.ACTIVE
    assert client.now() == service.now()


async def test_a_clock_before_the_lease_was_issued_is_tampering(make_client, clock) -> None:
    record = Record(key=KEY, lease=token(), license_id="lic_1", revision=1)
    clock.t = T0 - DAY
    client = make_client(store=MemoryStore(record), online=lambda: False)
    status = await client.start()
    assert (status.state, status.reason) == (State.CLOCK_TAMPERED, "clock_behind_lease")


def test_the_high_water_rises_in_bounded_steps_and_never_falls() -> None:
    record = Record()
    assert advance_high_water(record, T0) and record.high_water == T0  # first sight
    assert advance_high_water(record, T0 + 10 * DAY) and record.high_water == T0 + HIGH_WATER_STEP
    assert not advance_high_water(record, T0)
    assert record.high_water == T0 + HIGH_WATER_STEP
    assert advance_high_water(record, T0 + HIGH_WATER_STEP + 60)
    assert record.high_water == T0 + HIGH_WATER_STEP + 60


async def test_observe_saves_only_when_the_mark_moves(client, store, clock) -> None:
    saves = store.saves
    await client.observe()
    clock.advance(-60)
    await client.observe()
    assert store.saves == saves  # at or below the mark: nothing to write
    clock.advance(HOUR)
    await client.observe()
    assert store.saves == saves + 1
    assert msgspec.json.decode(store.saved, type=Record).high_water == client.now()
