"""Odd numbers in requests (non-ASCII digits, values beyond Java's int and long, signs) are 400s
and 404s in Jira's error shapes, never 500s."""

from __future__ import annotations

import pytest
import requests

from accessq.sandbox import RunningSandbox
from accessq.sandbox.numbers import INT32_MAX, INT64_MAX, parse_int
from tests.sandbox.conftest import api

SUPERSCRIPT_ONE = "%C2%B9"  # '¹': str.isdigit() says yes, int() says no
ARABIC_12 = "%D9%A1%D9%A2"  # '١٢': int() reads 12, Java's Long.parseLong too; Jira's ids are ASCII
ODD = [
    SUPERSCRIPT_ONE,
    ARABIC_12,
    str(INT64_MAX + 1),
    str(2**64 + 5),
    "-1",
    "+-1",
    "1.5",
    "1e3",
    " 1",
    "",
]


def test_parse_int_reads_what_java_reads() -> None:
    assert parse_int("10000") == 10000
    assert parse_int("-7") == -7 and parse_int("+7") == 7
    assert parse_int(str(INT64_MAX)) == INT64_MAX
    for raw in ("¹", "١٢", str(INT64_MAX + 1), "1.0", "0x10", "", " 1", "1\n", True, None, 1.0):
        assert parse_int(raw) is None, raw
    assert parse_int(str(INT32_MAX + 1), maximum=INT32_MAX) is None
    assert parse_int(-1, minimum=0) is None


def _platform(response: requests.Response) -> None:
    assert set(response.json()) == {"errorMessages", "errors"}, response.text


def _jsm(response: requests.Response) -> None:
    assert set(response.json()) == {"errorMessage", "i18nErrorMessage"}, response.text


@pytest.mark.parametrize("odd", [SUPERSCRIPT_ONE, ARABIC_12, str(INT64_MAX + 1), "-1"])
def test_component_ids(sandbox: RunningSandbox, admin: requests.Session, odd: str) -> None:
    for method in ("GET", "PUT", "DELETE"):
        response = admin.request(method, api(sandbox, f"component/{odd}"), json={})
        assert response.status_code == 404, (method, response.text)
        _platform(response)
    move = admin.delete(api(sandbox, "component/10000"), params={"moveIssuesTo": odd})
    assert move.status_code == 404
    _platform(move)
    assert admin.get(api(sandbox, "component/10000")).status_code == 200  # nothing deleted


@pytest.mark.parametrize("odd", ["JIRAUSER%C2%B9", f"JIRAUSER{2**64}", "JIRAUSER-1", "JIRAUSER"])
def test_dc_user_keys(sandbox_dc: RunningSandbox, odd: str) -> None:
    with requests.Session() as http:
        http.trust_env, http.auth = False, ("admin", "admin")
        response = http.get(api(sandbox_dc, f"user?key={odd}"))
    assert response.status_code == 404
    _platform(response)


@pytest.mark.parametrize(
    "path",
    [
        "user/search?{who}&startAt={n}",
        "user/search?{who}&maxResults={n}",
        "group/member?groupname=g&startAt={n}",
        "group/member?groupname=g&maxResults={n}",
        "project/ATS/component?startAt={n}",
        "project/ATS/component?maxResults={n}",
        "groups/picker?query=g&maxResults={n}",
        "group?groupname=g&expand=users[0:{n}]",
        "group?groupname=g&expand=users[{n}:1]",
    ],
)
def test_paging_numbers_beyond_java_ints_are_400s(
    sandbox: RunningSandbox, admin: requests.Session, path: str
) -> None:
    admin.post(api(sandbox, "group"), json={"name": "g"}).raise_for_status()
    who = "query=j" if sandbox.flavor == "cloud" else "username=j"
    for n in (str(INT64_MAX + 1), str(2**70), SUPERSCRIPT_ONE):
        response = admin.get(api(sandbox, path.format(who=who, n=n)))
        assert response.status_code == 400, (n, response.text)
        _platform(response)


def test_int64_paging_offsets_are_empty_pages(
    sandbox: RunningSandbox, admin: requests.Session
) -> None:
    admin.post(api(sandbox, "group"), json={"name": "g"}).raise_for_status()
    for path in ("group/member?groupname=g&", "project/ATS/component?"):
        page = admin.get(api(sandbox, f"{path}startAt={INT64_MAX}"))
        assert page.status_code == 200, page.text
        assert page.json()["values"] == [] and page.json()["isLast"] is True


@pytest.mark.parametrize("odd", ["-1", "0", SUPERSCRIPT_ONE, str(INT64_MAX + 1), "abc"])
def test_jsm_queue_ids_answer_in_the_jsm_shape(
    sandbox: RunningSandbox, admin: requests.Session, odd: str
) -> None:
    base = f"{sandbox.url}/rest/servicedeskapi/servicedesk/1/queue/{odd}"
    response = admin.get(base)
    assert response.status_code == 404
    _jsm(response)
    internal = f"{sandbox.url}/rest/servicedesk/1/servicedesk/ATS/queues/{odd}"
    update = admin.put(internal, json={"name": "x"})
    assert update.status_code == 404
    _jsm(update)
    if sandbox.flavor == "dc":
        for method in ("POST", "DELETE"):
            write = admin.request(method, base, json={"name": "x"})
            assert write.status_code == 404
            _jsm(write)


def test_jsm_paging_and_internal_delete_lists(
    sandbox: RunningSandbox, admin: requests.Session
) -> None:
    page = admin.get(f"{sandbox.url}/rest/servicedeskapi/servicedesk/1/queue?start={2**64}")
    assert page.status_code == 400
    _jsm(page)
    internal = f"{sandbox.url}/rest/servicedesk/1/servicedesk/ATS/queues"
    for deleted in ([2**64], ["¹"], [True], ["1.0"]):
        response = admin.put(internal, json={"deleted": deleted})
        assert response.status_code == 400, deleted
        _jsm(response)
    missing = admin.put(internal, json={"deleted": [1, -1]})
    assert missing.status_code == 404
    _jsm(missing)
    assert len(admin.get(internal).json()) == 3  # nothing deleted when one id is missing


def test_no_odd_number_anywhere_is_a_500(sandbox: RunningSandbox, admin: requests.Session) -> None:
    """A sweep: every numeric place of every endpoint, every odd value."""
    admin.post(api(sandbox, "group"), json={"name": "g"}).raise_for_status()
    sd = f"{sandbox.url}/rest/servicedeskapi/servicedesk"
    places = [
        ("GET", api(sandbox, "component/{n}")),
        ("DELETE", api(sandbox, "component/{n}")),
        ("DELETE", api(sandbox, "component/10000?moveIssuesTo={n}")),
        ("GET", api(sandbox, "project/{n}")),
        ("GET", api(sandbox, "project/{n}/properties/k")),
        ("GET", api(sandbox, "user?key=JIRAUSER{n}")),
        ("GET", api(sandbox, "user/search?query=a&username=a&startAt={n}&maxResults={n}")),
        ("GET", api(sandbox, "users/search?startAt={n}&maxResults={n}")),
        ("GET", api(sandbox, "group/member?groupname=g&startAt={n}&maxResults={n}")),
        ("GET", api(sandbox, "group/bulk?startAt={n}&maxResults={n}")),
        ("GET", api(sandbox, "group?groupname=g&expand=users[{n}:{n}]")),
        ("GET", api(sandbox, "groups/picker?maxResults={n}")),
        ("GET", f"{sd}?start={{n}}&limit={{n}}"),
        ("GET", f"{sd}/{{n}}"),
        ("GET", f"{sd}/serviceDeskId:{{n}}"),
        ("GET", f"{sd}/projectId:{{n}}/queue?start={{n}}&limit={{n}}"),
        ("GET", f"{sd}/1/queue/{{n}}"),
    ]
    for method, place in places:
        for n in ODD:
            response = admin.request(method, place.format(n=n))
            assert response.status_code < 500, (method, place, n, response.text)
    assert "500" not in sandbox.control.stats()["by_status"]
