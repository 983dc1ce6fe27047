"""Balanced placement of applications into the panels each may go to.

The input is, per application, the set of panels without a conflicted evaluator (a bit
mask over the panels) and, per panel, an optional capacity. The result puts as many
applications as can be placed (a maximum flow), and among those placements it makes the
panel loads as even as possible: the largest load is the smallest achievable, the
smallest load the largest achievable, so max − min is the least any placement allows.

How. Applications with the same allowed set form a group; the work is done on counts per
(group, panel), so 50,000 applications over 20 panels cost little more than their
distinct allowed sets. (1) Groups with the fewest allowed panels go first, each filling
its least-loaded allowed panels. (2) With capacities, applications left over are placed
along augmenting chains (one enters a full panel, each full panel on the chain passes one
on, a panel with room takes the last) until no chain exists: the number placed is then a
maximum. (3) While a chain of moves leads from a panel with load L to a panel with room
and load ≤ L − 2, up to half the difference is shifted along it; each shift lowers
Σ load². When no such chain is left, no single exchange (one panel −1, another +1) can
lower Σ load², so the load vector is a local, hence global, minimum of that separable
convex function over the placements' loads (an M-convex set); its minimiser is both
decreasingly minimal and increasingly maximal, which is the claim above. Intermediate
panels of a chain keep their load, so capacities hold throughout.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

_UNBOUNDED = 1 << 62  # the room of a panel without a capacity


@dataclass
class _Group:
    mask: int
    panels: tuple[int, ...]
    members: list[int] = field(default_factory=list)
    left: int = 0  # members not placed yet


class _Loads:
    """Counts per (group, panel) and, per pair of panels (u, v), how many applications
    now in u may go to v: the capacity of the move u → v."""

    def __init__(self, groups: list[_Group], capacities: Sequence[int | None]) -> None:
        size = len(capacities)
        self.groups = groups
        self.room_of = [_UNBOUNDED if c is None else c for c in capacities]
        self.load = [0] * size
        self.held: list[dict[int, int]] = [{} for _ in range(size)]  # panel → group → count
        self.reach = [[0] * size for _ in range(size)]

    def room(self, panel: int) -> int:
        return self.room_of[panel] - self.load[panel]

    def add(self, group: int, panel: int, count: int) -> None:
        held = self.held[panel]
        now = held.get(group, 0) + count
        if now:
            held[group] = now
        else:
            del held[group]
        self.load[panel] += count
        row = self.reach[panel]
        for target in self.groups[group].panels:
            row[target] += count

    def move(self, source: int, target: int, count: int) -> None:
        """``count`` applications from ``source`` to ``target``, of groups allowed there."""
        bit = 1 << target
        for group, held in list(self.held[source].items()):
            if self.groups[group].mask & bit:
                taken = min(held, count)
                self.add(group, source, -taken)
                self.add(group, target, taken)
                count -= taken
                if not count:
                    return
        raise AssertionError("a move beyond what the source panel holds")

    def search(self, starts: Sequence[int]) -> list[int]:
        """Breadth-first over possible moves: for each panel reached, the panel it was
        reached from (−1 for a start, −2 for a panel not reached)."""
        came_from = [-2] * len(self.load)
        for start in starts:
            came_from[start] = -1
        queue = list(starts)
        for panel in queue:
            for target, movable in enumerate(self.reach[panel]):
                if movable and came_from[target] == -2:
                    came_from[target] = panel
                    queue.append(target)
        return came_from

    def shift(self, came_from: list[int], end: int, most: int) -> int:
        """Shift up to ``most`` along the chain that ends at ``end``; the number shifted."""
        chain = [end]
        while came_from[chain[-1]] >= 0:
            chain.append(came_from[chain[-1]])
        chain.reverse()
        pairs = list(zip(chain, chain[1:], strict=False))
        count = min([most, *(self.reach[u][v] for u, v in pairs)])
        for u, v in reversed(pairs):
            self.move(u, v, count)
        return count


def place(
    allowed: Sequence[int], capacities: Sequence[int | None], rng: random.Random
) -> list[int | None]:
    """For each application (its allowed panels as a bit mask), its panel index, or None
    when it has no allowed panel or every allowed panel is full. ``rng`` breaks ties."""
    order = [rng.random() for _ in capacities]
    groups: list[_Group] = []
    by_mask: dict[int, int] = {}
    for item, mask in enumerate(allowed):
        if not mask:
            continue
        if mask not in by_mask:
            by_mask[mask] = len(groups)
            panels = tuple(p for p in range(len(capacities)) if mask >> p & 1)
            groups.append(_Group(mask, panels))
        groups[by_mask[mask]].members.append(item)
    loads = _Loads(groups, capacities)
    draws = [rng.random() for _ in groups]
    for index in sorted(range(len(groups)), key=lambda g: (len(groups[g].panels), draws[g])):
        _fill(loads, index, order)
    if any(g.left for g in groups):
        _augment(loads, order)
    _even_out(loads, order)
    return _materialise(loads, len(allowed), rng)


def _fill(loads: _Loads, index: int, order: list[float]) -> None:
    """The group's members one by one into its least-loaded allowed panel with room."""
    group = loads.groups[index]
    heap = [(loads.load[p], order[p], p) for p in group.panels if loads.room(p) > 0]
    heapq.heapify(heap)
    counts: dict[int, int] = {}
    remaining = len(group.members)
    while remaining and heap:
        load, _, panel = heap[0]
        counts[panel] = counts.get(panel, 0) + 1
        remaining -= 1
        if loads.room(panel) - counts[panel] > 0:
            heapq.heapreplace(heap, (load + 1, order[panel], panel))
        else:
            heapq.heappop(heap)
    for panel, count in counts.items():
        loads.add(index, panel, count)
    group.left = remaining


def _augment(loads: _Loads, order: list[float]) -> None:
    """Place left-over members along chains through full panels to a panel with room."""
    groups = loads.groups
    while True:
        entering = [0] * len(loads.load)
        for group in groups:
            if group.left:
                for panel in group.panels:
                    entering[panel] += group.left
        came_from = loads.search([p for p, n in enumerate(entering) if n])
        ends = [p for p, c in enumerate(came_from) if c != -2 and loads.room(p) > 0]
        if not ends:
            return
        end = min(ends, key=lambda p: (loads.load[p], order[p]))
        start = end
        while came_from[start] >= 0:
            start = came_from[start]
        count = loads.shift(came_from, end, min(entering[start], loads.room(end)))
        for index, group in enumerate(groups):
            if group.left and group.mask >> start & 1:
                taken = min(group.left, count)
                loads.add(index, start, taken)
                group.left -= taken
                count -= taken
                if not count:
                    break


def _even_out(loads: _Loads, order: list[float]) -> None:
    """Shift along chains from heavier to lighter panels until no chain lowers Σ load²."""
    panels = range(len(loads.load))
    while panels:
        lightest = min(loads.load)
        for source in sorted(panels, key=lambda p: (-loads.load[p], order[p])):
            limit = loads.load[source] - 2
            if lightest > limit:
                return
            came_from = loads.search([source])
            ends = [
                p
                for p, c in enumerate(came_from)
                if c >= 0 and loads.load[p] <= limit and loads.room(p) > 0
            ]
            if ends:
                end = min(ends, key=lambda p: (loads.load[p], order[p]))
                half = (loads.load[source] - loads.load[end]) // 2
                loads.shift(came_from, end, min(half, loads.room(end)))
                break
        else:
            return


def _materialise(loads: _Loads, size: int, rng: random.Random) -> list[int | None]:
    """Which members of a group go to which of its panels: a seeded shuffle, then the
    panels' counts in panel order; members beyond the counts stay unplaced."""
    result: list[int | None] = [None] * size
    for index, group in enumerate(loads.groups):
        members = list(group.members)
        rng.shuffle(members)
        at = 0
        for panel in group.panels:
            count = loads.held[panel].get(index, 0)
            for item in members[at : at + count]:
                result[item] = panel
            at += count
    return result
