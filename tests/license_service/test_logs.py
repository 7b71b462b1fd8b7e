"""No full key, token, raw fingerprint or install id in any row or log line."""

from __future__ import annotations

import logging

from license.keys import generate_key

from .harness import binding, request_body
from .scan import all_rows_text, secret_forms


async def test_no_secret_in_any_row_or_log_line(service, caplog):
    caplog.set_level(logging.DEBUG)
    _, key = await service.issue("pro")
    org, admin_token = await service.organisation()
    team, _ = await service.issue("team", seats=1, org_id=org)
    member = await service.member_key(team, "ann@example.com")
    machine, tokens = binding(4242), []
    for path, used in [("/v1/activate", key), ("/v1/validate", key), ("/v1/refresh", key),
                       ("/v1/deactivate", key), ("/v1/activate", member),
                       ("/v1/activate", generate_key()), ("/v1/validate", "JDK-not-a-key")]:
        response = await service.post(path, request_body(used, machine))
        tokens.append(response.json()["token"])
    await service.post("/v1/machines", {"key": member})
    await service.http.get(f"/v1/orgs/{org}/machines",
                           headers={"Authorization": f"Bearer {admin_token}"})
    client = service.client(binding(7))
    await client.start()
    await client.activate(key)
    stored = await all_rows_text(service.ctx)
    logged = caplog.text
    assert "JDK-" in logged  # prefixes are logged, which is what makes this test meaningful
    secrets_ = [*secret_forms(key), *secret_forms(member), machine.fingerprint,
                machine.install_id, binding(7).fingerprint, binding(7).install_id,
                admin_token, *tokens]
    for secret in secrets_:
        assert secret not in stored, f"a secret reached the database: {secret[:12]}…"
        assert secret not in logged, f"a secret reached the log: {secret[:12]}…"
    # The fingerprint's hex body alone must not appear either.
    assert machine.fingerprint[4:] not in stored
