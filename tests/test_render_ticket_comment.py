"""The request-ticket comment as text (pure): names are plain text in wiki markup, secrets are
masked, and however large the apply, the comment fits Jira's 32767 characters."""

from __future__ import annotations

from accessq.apply.engine import ApplyResult, StepResult
from accessq.jira.secret import register
from accessq.model.observed import Account
from accessq.plan.model import Change, Plan, PlanPerson, Summary
from accessq.plan.payload import AddMember
from accessq.render.ticket_comment import render_ticket_comment as render
from accessq.render.ticket_comment import wiki_text
from tests.plan.builders import TARGET


def _add(queue: str, n: int, name: str) -> Change:
    account = Account(key=f"key-{queue}-{n}", display_name=name, email=f"p{n}@x.example.edu")
    return Change.of(
        AddMember(key=account.key),
        id=f"add_member:{queue}:{n}",
        queue=queue,
        phase="add",
        target=f"ats-{queue.lower()}-agents",
        role="agents",
        person=PlanPerson(account=account, name=name, email=account.email, match="email"),
    )


def test_markup_is_text() -> None:
    assert wiki_text("x|[click|https://evil]") == "x\\|\\[click\\|https:\u200b//evil\\]"
    assert wiki_text("{html}<script>") == "\\{html\\}<script>"
    assert wiki_text("*b* _i_ -s- +u+ ^s^ ~s~ ??c?? !i.png! #1 @me (/) :)") == (
        "\\*b\\* \\_i\\_ \\-s\\- \\+u\\+ \\^s\\^ \\~s\\~ \\?\\?c\\?\\? \\!i.png\\! \\#1 \\@me "
        "\\(/\\) :\u200b\\)"
    )
    # A line break would end the table row; `\\` is Jira's own line break.
    assert wiki_text("a\nb\r\nc\u2028d") == "a b c d"
    assert wiki_text("a\\*b\\\\") == "a\uff3c\\*b\uff3c\uff3c"


def test_secrets_are_masked_before_escaping() -> None:
    register("tok-3n_secret-value")
    # Escaping first would split the token with backslashes and hide it from the mask.
    assert wiki_text("said tok-3n_secret-value") == "said \\*\\*\\*"


def test_a_huge_apply_fits_one_comment() -> None:
    name = "|[x]{y}*" * 80  # every character escaped, cut at the name limit
    changes = [_add(f"Q{q:03}", n, name) for q in range(300) for n in range(12)]
    plan = Plan(
        target=TARGET,
        fingerprint="f",
        changes=changes,
        summary=Summary(change=[f"Q{q:03}" for q in range(300)], members_added=3600),
    )
    steps = [
        StepResult(c, "done" if i % 7 else "failed", error="x" * 400) for i, c in enumerate(changes)
    ]
    body = render(plan, ApplyResult(steps=steps))
    assert len(body) < 32767
    rows = [line for line in body.splitlines() if line.startswith("|") and line[1] != "|"]
    assert len(rows) <= 21
    assert rows[-1].startswith("|and ")
    assert "* and 505 more" in body  # 515 failed (every 7th), 10 named
