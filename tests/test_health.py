def test_health_needs_no_credentials_and_reports_versions(anon):
    response = anon.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["schemaVersion"] >= 1
    assert body["uptimeSeconds"] >= 0


