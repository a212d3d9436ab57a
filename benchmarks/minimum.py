"""The fewest requests the Jira endpoints allow for each scenario, derived from what they offer.

- serverInfo (1, decides the flavour), myself (1, the runner), project components (1: the
  endpoint is unpaged), managed-group discovery: `groups/picker` answers at most 1,000 names and
  has no paging, so ceil(G / 1000) calls at best (1 when there is no group yet: an empty site
  is read in 4 requests);
- group members: `group/member` pages of at most 50, so max(1, ceil(m / 50)) per group;
- a person is looked up (`user/search`) only when no group already shows them: 0 on a site that
  matches, one per distinct person on an empty site (P);
- writes have no bulk form: one POST per component, group and membership, and one component PUT
  per awardee queue to set its lead (Jira only routes to a lead who can be assigned, so after the
  lead has joined the group, not in the create);
- a change: one write per changed membership or component.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

PICKER_LIMIT = 1000
MEMBER_PAGE = 50


@dataclass(frozen=True)
class Minimum:
    requests: int
    formula: str  # the formula with this scenario's numbers, for the report


def _pages(sizes: Iterable[int]) -> int:
    return sum(max(1, math.ceil(size / MEMBER_PAGE)) for size in sizes)


def read(group_sizes: dict[str, int], lookups: int = 0) -> Minimum:
    """A snapshot of a site whose managed groups have these sizes."""
    groups = len(group_sizes)
    pickers = max(1, math.ceil(groups / PICKER_LIMIT))
    pages = _pages(group_sizes.values())
    total = 3 + pickers + pages + lookups
    formula = (
        f"3 (serverInfo, myself, components) + {pickers} picker [ceil(G/1000), G={groups}]"
        f" + {pages} member pages [sum max(1, ceil(m/50))]"
    )
    if lookups:
        formula += f" + {lookups} lookups"
    return Minimum(total, f"{formula} = {total}")


def first_apply(
    read_minimum: Minimum, queues: int, groups: int, memberships: int, awardees: int, lookups: int
) -> Minimum:
    """Read the site, look up the people no group shows, then create every missing object."""
    total = read_minimum.requests + lookups + queues + groups + memberships + awardees
    formula = (
        f"read {read_minimum.requests} + P {lookups} lookups + Q {queues} component creates"
        f" + G {groups} group creates + M {memberships} member adds + A {awardees} lead updates"
        f" = {total}"
    )
    return Minimum(total, formula)


def change(read_minimum: Minimum, writes: int) -> Minimum:
    """Read the matching site, then one write per changed membership or component."""
    total = read_minimum.requests + writes
    return Minimum(total, f"read {read_minimum.requests} + {writes} writes = {total}")
