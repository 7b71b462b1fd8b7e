"""Seats and machines (LICENSING.md "Seats and machines"), through the real
routes, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from license.lease import Binding
from license.service.issuing import SeatsFull
from license.service.models import License, Machine, MachineEvent
from license.service.policies import DAY
from tests.license.fakes import T0

from .harness import binding


async def test_unknown_key_is_a_signed_not_found(service):
    from license.keys import generate_key

    claims = await service.call("/v1/validate", generate_key(), binding(1))
    assert (claims.typ, claims.code, claims.license_id) == ("denial", "NOT_FOUND", "")
    activation = await service.call("/v1/activate", generate_key(), binding(1))
    assert activation.code == "NOT_FOUND"


async def test_a_mistyped_key_is_not_found_without_a_lookup(service):
    claims = await service.call("/v1/activate", "JDK-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", binding(1))
    assert claims.code == "NOT_FOUND"


async def test_activate_then_validate_gives_leases(service):
    license, key = await service.issue("pro")
    lease = await service.call("/v1/activate", key, binding(1))
    assert (lease.typ, lease.code, lease.plan, lease.license_id) == ("lease", "VALID", "pro", license.id)
    assert lease.exp == T0 + 14 * DAY and lease.grace == 14 * DAY and lease.rev == 1
    assert "insights.salary" in lease.entitlements
    renewed = await service.call("/v1/validate", key, binding(1))
    assert renewed.code == "VALID" and renewed.machine_id == lease.machine_id
    refreshed = await service.call("/v1/refresh", key, binding(1))
    assert refreshed.code == "VALID"


async def test_validate_without_activation_is_no_machine(service):
    _, key = await service.issue("pro")
    claims = await service.call("/v1/validate", key, binding(1))
    assert (claims.typ, claims.code) == ("denial", "NO_MACHINE")


async def test_reactivation_of_the_same_fingerprint_is_idempotent(service):
    _, key = await service.issue("pro")
    first = await service.call("/v1/activate", key, binding(1))
    again = await service.call("/v1/activate", key, binding(1))
    assert again.code == "VALID" and again.machine_id == first.machine_id
    # Pro: two machines. The repeated activation did not take the second place.
    second = await service.call("/v1/activate", key, binding(2))
    assert second.code == "VALID" and second.machine_id != first.machine_id
    third = await service.call("/v1/activate", key, binding(3))
    assert (third.typ, third.code) == ("denial", "MACHINE_LIMIT_EXCEEDED")


async def test_new_install_on_the_same_fingerprint_is_a_reinstall(service):
    _, key = await service.issue("pro")
    old = binding(1)
    first = await service.call("/v1/activate", key, old)
    reinstalled = Binding(old.fingerprint, "fp1." + "9" * 64)
    again = await service.call("/v1/activate", key, reinstalled)
    assert again.code == "VALID" and again.machine_id == first.machine_id
    # The old install no longer renews; the new one does.
    assert (await service.call("/v1/validate", key, old)).code == "NO_MACHINE"
    assert (await service.call("/v1/validate", key, reinstalled)).code == "VALID"


async def test_the_same_install_id_on_two_fingerprints_is_flagged_as_a_clone(service):
    _, key = await service.issue("pro")
    original = await service.call("/v1/activate", key, binding(1))
    clone = Binding(binding(2).fingerprint, binding(1).install_id)
    copied = await service.call("/v1/activate", key, clone)
    machine = await service.get(Machine, copied.machine_id)
    assert machine.clone_of == original.machine_id


async def test_parallel_activations_never_exceed_the_last_seat(service):
    _, key = await service.issue("pro")
    assert (await service.call("/v1/activate", key, binding(1))).code == "VALID"
    # One place left; twenty machines race for it.
    results = await asyncio.gather(*(service.call("/v1/activate", key, binding(100 + n))
                                     for n in range(20)))
    codes = sorted(claims.code for claims in results)
    assert codes.count("VALID") == 1
    assert codes.count("MACHINE_LIMIT_EXCEEDED") == 19
    async with service.ctx.sessions() as session:
        live = await session.scalar(select(func.count()).select_from(Machine)
                                    .where(Machine.deactivated_at.is_(None)))
    assert live == 2


async def test_parallel_activations_of_one_machine_make_one_row(service):
    _, key = await service.issue("pro")
    results = await asyncio.gather(*(service.call("/v1/activate", key, binding(7)) for _ in range(10)))
    assert {claims.code for claims in results} == {"VALID"}
    assert len({claims.machine_id for claims in results}) == 1


async def test_deactivation_frees_the_place_and_is_capped(service):
    _, key = await service.issue("pro")
    for round_ in range(3):
        assert (await service.call("/v1/activate", key, binding(1))).code == "VALID"
        assert (await service.call("/v1/activate", key, binding(2))).code == "VALID"
        assert (await service.call("/v1/activate", key, binding(3))).code == "MACHINE_LIMIT_EXCEEDED"
        done = await service.call("/v1/deactivate", key, binding(2))
        assert (done.typ, done.code) == ("denial", "DEACTIVATED")
        assert (await service.call("/v1/validate", key, binding(2))).code == "NO_MACHINE"
        service.clock.advance(DAY)
    # A fourth transfer inside 30 days is refused; the machine stays active.
    assert (await service.call("/v1/activate", key, binding(2))).code == "VALID"
    refused = await service.call("/v1/deactivate", key, binding(2))
    assert refused.code == "DEACTIVATIONS_LIMIT_EXCEEDED"
    assert (await service.call("/v1/validate", key, binding(2))).code == "VALID"
    # Thirty days after the first, one more is allowed.
    service.clock.advance(28 * DAY)
    assert (await service.call("/v1/deactivate", key, binding(2))).code == "DEACTIVATED"


async def test_deactivating_an_unknown_machine_is_no_machine(service):
    _, key = await service.issue("pro")
    assert (await service.call("/v1/deactivate", key, binding(1))).code == "NO_MACHINE"


async def test_a_machine_past_its_lease_and_grace_frees_its_place(service):
    _, key = await service.issue("pro")
    await service.call("/v1/activate", key, binding(1))
    await service.call("/v1/activate", key, binding(2))
    service.clock.advance(20 * DAY)  # lease ran out, still inside grace: the place is held
    assert (await service.call("/v1/activate", key, binding(3))).code == "MACHINE_LIMIT_EXCEEDED"
    assert (await service.call("/v1/validate", key, binding(1))).code == "VALID"  # 1 renews
    service.clock.advance(10 * DAY)  # machine 2: lease (14 d) + grace (14 d) passed
    third = await service.call("/v1/activate", key, binding(3))
    assert third.code == "VALID"
    # Machine 2 comes back: its place is taken, so no renewal.
    assert (await service.call("/v1/validate", key, binding(2))).code == "MACHINE_LIMIT_EXCEEDED"
    async with service.ctx.sessions() as session:
        kinds = (await session.execute(select(MachineEvent.kind))).scalars().all()
    assert kinds.count("activate") == 3


async def test_a_reclaimed_machine_is_taken_back_while_its_place_is_free(service):
    _, key = await service.issue("pro")
    first = await service.call("/v1/activate", key, binding(1))
    service.clock.advance(40 * DAY)
    back = await service.call("/v1/validate", key, binding(1))
    assert back.code == "VALID" and back.machine_id == first.machine_id


async def test_license_states_are_signed_denials(service):
    license, key = await service.issue("pro")
    await service.call("/v1/activate", key, binding(1))
    for status, code in (("suspended", "SUSPENDED"), ("expired", "EXPIRED"), ("revoked", "REVOKED")):
        async with service.ctx.sessions.begin() as session:
            row = await session.get(License, license.id)
            row.status = status
        for path in ("/v1/validate", "/v1/activate"):
            claims = await service.call(path, key, binding(1))
            assert (claims.typ, claims.code, claims.status) == ("denial", code, status)


async def test_past_due_still_gets_a_lease(service):
    license, key = await service.issue("pro")
    await service.call("/v1/activate", key, binding(1))
    async with service.ctx.sessions.begin() as session:
        (await session.get(License, license.id)).status = "past_due"
    claims = await service.call("/v1/validate", key, binding(1))
    assert (claims.typ, claims.code, claims.status) == ("lease", "PAST_DUE", "past_due")


async def test_contract_end_expires_the_license(service):
    _, key = await service.issue("pro", expires_at=T0 + 10 * DAY)
    lease = await service.call("/v1/activate", key, binding(1))
    assert lease.subscription_end == T0 + 10 * DAY
    service.clock.advance(11 * DAY)
    assert (await service.call("/v1/validate", key, binding(1))).code == "EXPIRED"


async def test_team_members_hold_seats_with_their_own_machines(service):
    org, _ = await service.organisation()
    license, none = await service.issue("team", seats=2, org_id=org)
    assert none is None
    alice = await service.member_key(license, "alice@example.com")
    bob = await service.member_key(license, "bob@example.com")
    for n in (1, 2):
        assert (await service.call("/v1/activate", alice, binding(n))).code == "VALID"
    assert (await service.call("/v1/activate", alice, binding(3))).code == "MACHINE_LIMIT_EXCEEDED"
    assert (await service.call("/v1/activate", bob, binding(3))).code == "VALID"
    # Bob cannot take a machine Alice holds.
    assert (await service.call("/v1/activate", bob, binding(1))).code == "FINGERPRINT_TAKEN"
    with pytest.raises(SeatsFull):  # both seats are taken
        await service.member_key(license, "carol@example.com")


async def test_lowering_seats_stops_renewals_of_surplus_only(service):
    org, _ = await service.organisation()
    license, _ = await service.issue("team", seats=2, org_id=org)
    alice = await service.member_key(license, "alice@example.com")
    service.clock.advance(1)
    bob = await service.member_key(license, "bob@example.com")
    await service.call("/v1/activate", alice, binding(1))
    bob_lease = await service.call("/v1/activate", bob, binding(2))
    async with service.ctx.sessions.begin() as session:
        row = await session.get(License, license.id)
        row.seats, row.ver = 1, row.ver + 1
    assert (await service.call("/v1/validate", alice, binding(1))).code == "VALID"
    denied = await service.call("/v1/validate", bob, binding(2))
    assert denied.code == "SEAT_NOT_ASSIGNED"  # not a hard denial: Bob's lease runs its course
    assert bob_lease.exp > service.clock() and (await service.get(Machine, bob_lease.machine_id)).deactivated_at is None


async def test_lowering_machines_per_seat_stops_renewals_of_the_newest(service):
    org, _ = await service.organisation()
    license, _ = await service.issue("enterprise", seats=1, org_id=org)
    key = await service.member_key(license, "dana@example.com")
    for n in (1, 2, 3):
        assert (await service.call("/v1/activate", key, binding(n))).code == "VALID"
        service.clock.advance(1)
    assert (await service.call("/v1/activate", key, binding(4))).code == "MACHINE_LIMIT_EXCEEDED"
    async with service.ctx.sessions.begin() as session:
        (await session.get(License, license.id)).machines_per_seat = 2
    assert (await service.call("/v1/validate", key, binding(1))).code == "VALID"
    assert (await service.call("/v1/validate", key, binding(3))).code == "TOO_MANY_MACHINES"
