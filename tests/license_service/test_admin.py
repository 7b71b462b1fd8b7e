"""Organisation admin routes: the admin credential, members, seats, bulk
issue, machines, usage and audit; and no organisation ever sees or touches
another's data."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from license.service.models import AuditEntry, Machine

from .harness import binding


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class Admin:
    def __init__(self, service, org: str, token: str):
        self.service, self.org, self.token = service, org, token

    async def get(self, path: str, **kwargs):
        return await self.service.http.get(f"/v1/orgs/{self.org}{path}", headers=bearer(self.token), **kwargs)

    async def post(self, path: str, body: dict):
        return await self.service.post(f"/v1/orgs/{self.org}{path}", body, headers=bearer(self.token))

    async def delete(self, path: str):
        return await self.service.http.delete(f"/v1/orgs/{self.org}{path}", headers=bearer(self.token))


@pytest.fixture
async def acme(service) -> Admin:
    return Admin(service, *await service.organisation("Acme"))


@pytest.fixture
async def globex(service) -> Admin:
    return Admin(service, *await service.organisation("Globex"))


async def team_with_member(admin: Admin, email: str = "ann@example.com", seats: int = 2):
    issued = (await admin.post("/licenses", {"plan": "team", "count": 1, "seats": seats})).json()
    license_id = issued["licenses"][0]["id"]
    member = (await admin.post("/members", {"email": email, "name": "Ann"})).json()
    seat = await admin.post(f"/licenses/{license_id}/seats", {"memberId": member["id"]})
    assert seat.status_code == 201, seat.text
    return license_id, member, seat.json()


async def test_admin_routes_need_a_valid_token(service, acme):
    for headers in ({}, {"Authorization": "Bearer jdla_nope"}, {"Authorization": "Basic abc"}):
        response = await service.http.get(f"/v1/orgs/{acme.org}/members", headers=headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "UNAUTHENTICATED"
    assert (await acme.get("/members")).status_code == 200


async def test_members_seats_and_machines(service, acme):
    license_id, member, seat = await team_with_member(acme)
    key = seat["key"]
    assert seat["seat"]["keyPrefix"] == key[:9]
    assert (await service.call("/v1/activate", key, binding(1))).code == "VALID"
    members = (await acme.get("/members")).json()["members"]
    assert [m["email"] for m in members] == ["ann@example.com"]
    machines = (await acme.get("/machines")).json()["machines"]
    assert len(machines) == 1 and machines[0]["live"]
    # The admin frees the machine: not a self-service transfer.
    assert (await acme.delete(f"/machines/{machines[0]['id']}")).status_code == 200
    assert (await service.call("/v1/validate", key, binding(1))).code == "NO_MACHINE"
    assert (await service.call("/v1/activate", key, binding(1))).code == "VALID"
    # Removing the member releases their seat: the key stops renewing.
    assert (await acme.delete(f"/members/{member['id']}")).status_code == 200
    assert (await service.call("/v1/validate", key, binding(1))).code == "SEAT_NOT_ASSIGNED"
    seats = (await acme.get("/seats")).json()["seats"]
    assert seats[0]["releasedAt"] is not None
    licenses = (await acme.get("/licenses")).json()["licenses"]
    assert licenses[0]["id"] == license_id and licenses[0]["seatsAssigned"] == 0


async def test_seats_cannot_exceed_the_license(service, acme):
    license_id, _, _ = await team_with_member(acme, seats=1)
    other = (await acme.post("/members", {"email": "bo@example.com"})).json()
    full = await acme.post(f"/licenses/{license_id}/seats", {"memberId": other["id"]})
    assert full.status_code == 409 and full.json()["error"]["code"] == "SEATS_FULL"


async def test_bulk_issue_gives_working_keys_once(service, acme):
    response = await acme.post("/licenses", {"plan": "pro", "count": 5})
    assert response.status_code == 201
    issued = response.json()["licenses"]
    assert len({item["key"] for item in issued}) == 5
    for n, item in enumerate(issued):
        assert (await service.call("/v1/activate", item["key"], binding(n))).code == "VALID"
    listed = (await acme.get("/licenses")).json()["licenses"]
    assert all("key" not in item for item in listed)
    assert (await acme.post("/licenses", {"plan": "platinum"})).status_code == 400
    assert (await acme.post("/licenses", {"plan": "pro", "count": 100_000})).status_code == 400


async def test_usage_report_and_audit_log(service, acme):
    _, _, seat = await team_with_member(acme)
    await service.call("/v1/activate", seat["key"], binding(1))
    await service.call("/v1/validate", seat["key"], binding(1))
    await service.call("/v1/validate", seat["key"], binding(2))
    report = (await acme.get("/usage")).json()
    calls = {(c["route"], c["code"]): c["count"] for c in report["calls"]}
    assert calls == {("activate", "VALID"): 1, ("validate", "VALID"): 1, ("validate", "NO_MACHINE"): 1}
    assert (report["seats"], report["seatsAssigned"], report["machinesLive"]) == (2, 1, 1)
    entries = (await acme.get("/audit")).json()["entries"]
    assert [e["action"] for e in entries] == ["seat.assign", "member.add", "license.bulk_issue"]
    assert all(e["actor"].startswith("admin:tok_") for e in entries)
    # The audit detail names the seat's key by prefix only.
    assert seat["key"] not in json.dumps(entries) and entries[0]["detail"]["key_prefix"] == seat["key"][:9]


async def test_one_organisation_cannot_see_or_touch_anothers_data(service, acme, globex):
    license_id, member, seat = await team_with_member(acme)
    await service.call("/v1/activate", seat["key"], binding(1))
    acme_machine = (await acme.get("/machines")).json()["machines"][0]["id"]
    # Globex's token on Acme's organisation: as if it did not exist.
    intruder = Admin(service, acme.org, globex.token)
    for path in ("/members", "/machines", "/seats", "/licenses", "/usage", "/audit"):
        response = await intruder.get(path)
        assert response.status_code == 404, path
    assert (await intruder.delete(f"/machines/{acme_machine}")).status_code == 404
    assert (await intruder.post("/members", {"email": "x@example.com"})).status_code == 404
    # Globex's own routes with Acme's object ids: not found either.
    assert (await globex.delete(f"/machines/{acme_machine}")).status_code == 404
    assert (await globex.delete(f"/members/{member['id']}")).status_code == 404
    assert (await globex.delete(f"/seats/{seat['seat']['id']}")).status_code == 404
    assert (await globex.post(f"/licenses/{license_id}/seats", {"memberId": member["id"]})).status_code == 404
    globex_member = (await globex.post("/members", {"email": "g@example.com"})).json()
    assert (await globex.post(f"/licenses/{license_id}/seats",
                              {"memberId": globex_member["id"]})).status_code == 404
    # Globex sees only its own (empty) world.
    assert (await globex.get("/machines")).json()["machines"] == []
    assert (await globex.get("/licenses")).json()["licenses"] == []
    assert [m["email"] for m in (await globex.get("/members")).json()["members"]] == ["g@example.com"]
    assert (await globex.get("/usage")).json()["calls"] == []
    # Acme's machine is untouched and still renews.
    assert (await service.get(Machine, acme_machine)).deactivated_at is None
    assert (await service.call("/v1/validate", seat["key"], binding(1))).code == "VALID"
    async with service.ctx.sessions() as session:
        orgs = set((await session.execute(select(AuditEntry.org_id))).scalars())
    assert orgs == {acme.org, globex.org}


async def test_admin_tokens_are_made_listed_and_revoked_never_the_last(service, acme, globex):
    made = await acme.post("/tokens", {"name": "ci"})
    assert made.status_code == 201, made.text
    new = made.json()
    assert new["token"].startswith("jdla_") and new["revokedAt"] is None
    # The secret is shown once: the list has names and dates only.
    listed = (await acme.get("/tokens")).json()["tokens"]
    assert sorted(t["name"] for t in listed) == ["ci", "test"] and all("token" not in t for t in listed)
    second = Admin(service, acme.org, new["token"])
    assert (await second.get("/members")).status_code == 200
    # Another organisation cannot see or revoke them.
    assert (await globex.delete(f"/tokens/{new['id']}")).status_code == 404
    assert [t["name"] for t in (await globex.get("/tokens")).json()["tokens"]] == ["test"]
    # The first token revokes the new one: it stops working at once.
    assert (await acme.delete(f"/tokens/{new['id']}")).status_code == 200
    assert (await second.get("/members")).status_code == 401
    assert (await acme.delete(f"/tokens/{new['id']}")).status_code == 404
    # The last live token stays: no organisation locks itself out by mistake.
    first = next(t["id"] for t in listed if t["name"] == "test")
    refused = await acme.delete(f"/tokens/{first}")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "LAST_ADMIN_TOKEN"
    assert (await acme.get("/members")).status_code == 200
    actions = [e["action"] for e in (await acme.get("/audit")).json()["entries"]]
    assert actions[:2] == ["token.revoke", "token.create"]


async def test_a_token_name_is_required(acme):
    for body in ({}, {"name": ""}, {"name": "x" * 201}):
        response = await acme.post("/tokens", body)
        assert response.status_code == 400, body
