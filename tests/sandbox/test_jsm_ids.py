"""JSM's `{serviceDeskId}` also takes project identifiers, wherever it appears."""

from __future__ import annotations

import pytest
import requests

from accessq.sandbox import RunningSandbox

SAME_DESK = ["1", "ATS", "projectKey:ATS", "projectId:10000", "serviceDeskId:1"]
OTHER = ["2", "10000", "ats", "projectKey:ats", "projectId:1", "serviceDeskId:10000", "key:ATS"]


@pytest.mark.parametrize("ref", SAME_DESK)
def test_every_identifier_names_the_service_desk(
    sandbox: RunningSandbox, admin: requests.Session, ref: str
) -> None:
    sd = f"{sandbox.url}/rest/servicedeskapi/servicedesk/{ref}"
    assert admin.get(sd).json()["id"] == "1"
    assert len(admin.get(f"{sd}/queue").json()["values"]) == 3
    assert admin.get(f"{sd}/queue/1").json()["name"] == "All open"
    if sandbox.flavor == "dc":  # the public queue writes take it too
        created = admin.post(f"{sd}/queue", json={"name": "Q", "jql": "project = ATS"})
        assert created.status_code == 201
        queue_id = created.json()["id"]
        assert admin.post(f"{sd}/queue/{queue_id}", json={"name": "R"}).json()["name"] == "R"
        assert admin.delete(f"{sd}/queue/{queue_id}").status_code == 204


@pytest.mark.parametrize("ref", OTHER)
def test_anything_else_is_a_jsm_404(
    sandbox: RunningSandbox, admin: requests.Session, ref: str
) -> None:
    # A bare number is a service desk id, never a project id; keys are case-sensitive.
    for tail in ("", "/queue", "/queue/1"):
        response = admin.get(f"{sandbox.url}/rest/servicedeskapi/servicedesk/{ref}{tail}")
        assert response.status_code == 404, (ref, tail)
        assert set(response.json()) == {"errorMessage", "i18nErrorMessage"}
