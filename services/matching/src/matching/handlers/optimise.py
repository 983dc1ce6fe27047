"""The operators' optimiser over a whole call: a planner for every match awaiting one,
or a lead supplier for every match whose planner has accepted and that has no supplier
yet. Candidates are each match's best recommendations (the hard rules already applied:
pool, capacity, parties, members that declined); what it places are proposals, which
the planners and suppliers still accept or decline. Accepted matches hold their slots
and are never moved; a run after declines places the rest again.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import uuid4

from sqlalchemy import select

from matching.domain.consent import Match, Role
from matching.domain.fit import recommend
from matching.domain.optimiser import Candidates, Slots, solve
from matching.handlers.context import Matching
from matching.handlers.matches import load, need, save
from matching.handlers.pools import matching_terms, members
from matching.models import tables
from sfms_shared.access import require_call_operator
from sfms_shared.identity import Identity

CANDIDATES_PER_MATCH = 50


async def run(ctx: Matching, who: Identity, call_id: str, role: Role, seed: int) -> dict[str, Any]:
    require_call_operator(who, call_id, "run the matching optimiser", "매칭 최적화를 실행할")
    now = ctx.clock.now()
    async with ctx.sessions() as session, session.begin():
        call = await ctx.latest_call(session, call_id)
        terms = matching_terms(call)
        ids = (
            await session.execute(
                select(tables.match.c.application_id)
                .where(tables.match.c.call_id == call_id, tables.match.c.status == "open")
                .order_by(tables.match.c.application_id)
            )
        ).scalars()
        waiting = []
        for application_id in list(ids):
            row, match = await load(session, application_id)  # type: ignore[misc]
            match = match.lapse(now)
            if _waits_for(match, role):
                waiting.append((row, match))
        pool = await members(session, call, role, now=now, lock=True)
        index = {m.id: i for i, m in enumerate(pool)}
        arcs = []
        for position, (row, match) in enumerate(waiting):
            for found in recommend(terms, need(row, match), pool, CANDIDATES_PER_MATCH):
                arcs.append((position, index[found.member_id], found.hundredths))
        solution = solve(
            [str(row["application_id"]) for row, _ in waiting],
            [Slots(m.id, m.load, m.capacity) for m in pool],
            Candidates.of(arcs),
            balance=int(terms.balance_points * 100),
            seed=seed,
        )
        chosen = {m.id: m for m in pool}
        for row, match in waiting:
            member_id = solution.placements.get(str(row["application_id"]))
            if member_id is None:
                continue
            member = chosen[member_id]
            proposed = match.propose(
                role,
                [(member.id, member.brn, member.name)],
                by="optimiser",
                now=now,
                answer_days=terms.answer_days,
                ids=[str(uuid4())],
            )
            await save(ctx, session, proposed, row, None)
        loads = {chosen[m].name: 0 for m in chosen}
        for member_id in solution.placements.values():
            loads[chosen[member_id].name] += 1
        summary = {
            "role": role,
            "seed": seed,
            "waiting": len(waiting),
            "proposed": len(solution.placements),
            "unplaced": list(solution.unplaced),
            "mean_fit": str(_mean_fit(solution.total_fit, len(solution.placements))),
            "proposals_per_member": {k: v for k, v in loads.items() if v},
        }
        run_id = uuid4()
        await session.execute(
            tables.optimiser_run.insert().values(
                id=run_id,
                call_id=call_id,
                role=role,
                seed=seed,
                run_by=who.subject,
                run_at=now,
                summary=summary,
            )
        )
        await ctx.audit.record(
            session, "optimiser.run", "optimiser_run", run_id, summary, call_id=call_id
        )
    return {"id": str(run_id), "run_at": now, **summary}


def _mean_fit(total_hundredths: int, placed: int) -> Decimal:
    if not placed:
        return Decimal("0.00")
    mean = Decimal(total_hundredths) / 100 / placed
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _waits_for(match: Match, role: Role) -> bool:
    if role == "planner":
        return match.state == "awaiting-planner"
    return (
        match.state == "awaiting-suppliers"
        and not match.suppliers
        and not any(p.open for p in match.proposals if p.role == "supplier")
    )
