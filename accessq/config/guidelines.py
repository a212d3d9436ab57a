"""Conventions worth a warning but not an error: queue naming and queues too thin to staff.

Warnings never make `accessq validate` fail; they point at names that will look out of place
among the other queues, and at queues a plan would refuse to leave as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from accessq.config.diagnostics import Diagnostic
from accessq.config.models import AwardeeQueue, Config, RPQueue
from accessq.config.origins import Origins

RP_NAME_MAX = 20
# Letters and digits of any script (`[^\W_]`): a Greek or Japanese short name is one too.
_RP_NAME = re.compile(r"[^\W\d_][^\W_]*(-[^\W_]+)*")
_AWARDEE_NAME = re.compile(r"ACCESS(-[^\W_]+){2,}")


def guideline_warnings(config: Config, origins: Origins | None = None) -> list[Diagnostic]:
    where = origins or Origins()
    return [*_naming(config, where), *_staffing(config, where)]


def _naming(config: Config, where: Origins) -> Iterator[Diagnostic]:
    for rp in config.rp_queues:
        if not (_RP_NAME.fullmatch(rp.name) and len(rp.name) <= RP_NAME_MAX):
            yield _warning(
                f"RP queue name '{rp.name}' does not follow the naming guideline: the RP's short "
                f"name, no spaces, at most {RP_NAME_MAX} characters (e.g. Delta, Jetstream-2)",
                where,
                rp,
            )
    for aw in config.awardee_queues:
        if not _AWARDEE_NAME.fullmatch(aw.name):
            yield _warning(
                f"awardee queue name '{aw.name}' does not follow the naming guideline "
                "ACCESS-<Track>-<Topic> (e.g. ACCESS-ACO-Support)",
                where,
                aw,
            )


def _staffing(config: Config, where: Origins) -> Iterator[Diagnostic]:
    for queue in config.queues:
        floor = config.safety.min_agents
        if queue.safety and queue.safety.min_agents is not None:
            floor = queue.safety.min_agents
        role = queue.ROLES[0]
        count = len(queue.members(role))
        if count < floor and not where.pruned(queue, role):
            yield _warning(
                f"queue '{queue.name}' has {count} {role}, fewer than min_agents ({floor}); "
                "a plan that leaves it so is blocked (exit 3)",
                where,
                queue,
            )


def _warning(message: str, where: Origins, queue: RPQueue | AwardeeQueue) -> Diagnostic:
    loc, key_path = where.locate(queue, "name")
    return Diagnostic(message, loc, key_path, severity="warning")
