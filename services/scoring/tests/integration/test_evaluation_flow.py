"""Document review (001 서면평가) on real PostgreSQL, from eligibility's decisions to a
ranked shortlist: quantitative scores read from statement PDFs, evaluators with declared
and detected conflicts, panels assigned around them, sheets submitted, one reopened by
an operator, the stage completed with the 1.5× cut-off (target 15 → 23), the XLSX
export equal to the API, a disqualification found later re-ranking the list, and a
formed consortium opening the on-site review for a shortlisted application only.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

import openpyxl
import pytest
from asgi_lifespan import LifespanManager
from scoring_harness import ScoringHarness, evaluator_user, statement_ref

from scoring.config import Settings
from scoring.main import create_app
from sfms_shared import migrations
from sfms_shared.clock import KST, FixedClock
from sfms_shared.contracts.events import ApplicationSubmittedV1, ConsortiumFormedV1
from sfms_shared.contracts.scores import ConsortiumParty, FormedConsortium
from sfms_shared.document_store import LocalDocumentStore
from sfms_shared.messaging.topics import (
    SCORING_APPLICATION_SCORED_V1,
    SCORING_STAGE_COMPLETED_V1,
)
from sfms_shared.testing.identity import applicant, operator
from sfms_shared.testing.snapshots import AUTONOMOUS, brn
from sfms_shared.testing.statement_pdfs import standard_financial_statement_pdf

pytestmark = pytest.mark.integration

APPLICATIONS = 30
STAGE = "document-review"
OPERATOR = operator(AUTONOMOUS)


@pytest.fixture
async def scoring(postgres_url: str, tmp_path: Path) -> AsyncIterator[ScoringHarness]:
    await asyncio.to_thread(migrations.upgrade, "scoring", postgres_url)
    documents = tmp_path / "documents"
    settings = Settings(database_url=postgres_url, roles={"api"}, document_store_path=documents)
    store = LocalDocumentStore(documents)  # intake's side: it writes
    app = create_app(settings, FixedClock(datetime(2026, 6, 20, 10, 0, tzinfo=KST)))
    async with LifespanManager(app):
        yield ScoringHarness(app, store)


async def statements(harness: ScoringHarness, n: int) -> tuple:
    """Statements for 2023–2025 as the National Tax Service issues them: revenue grows
    10 % from 2024 to 2025 (4 points), while the applicant declared 12 %."""
    figures = {2023: 9_000_000_000, 2024: 10_000_000_000, 2025: 11_000_000_000}
    refs = []
    for year, revenue in figures.items():
        pdf = standard_financial_statement_pdf(
            company_name=f"(주)시험기업{n:02d}",
            brn=brn(n),
            fiscal_year=year,
            revenue=revenue,
            operating_profit=revenue // 10,
            total_liabilities=revenue // 2,
            total_equity=revenue,
        )
        refs.append(statement_ref(await harness.stored(pdf), year))
    return tuple(refs)


async def register_evaluators(harness: ScoringHarness) -> list[str]:
    """Six evaluators: 1 declares a business relationship with applicant 5; 4 works for
    applicant 7 (the same BRN)."""
    ids = []
    async with harness.client(OPERATOR) as staff:
        for n in range(1, 7):
            body = {
                "subject": evaluator_user(n).subject,
                "name": f"평가위원{n}",
                "affiliation": "한국생산기술연구원" if n != 4 else "(주)시험기업07",
                "organisation_brn": brn(7) if n == 4 else None,
                "declarations": (
                    [{"brn": brn(5), "relation": "business-relationship", "note": "자문 계약"}]
                    if n == 1
                    else []
                ),
            }
            answer = await staff.post("/v1/evaluators", json=body)
            assert answer.status_code == 201, answer.text
            ids.append(answer.json()["id"])
    return ids


def sheet_for(n: int, evaluator: int) -> dict:
    return {
        "items": {
            "participation-will": str(Decimal(10 + n % 9)),
            "necessity": "12",
            "environment": str(Decimal(20 + n % 15) + Decimal(evaluator) / 2),
        },
        "checks": {},
        "comments": {},
        "comment": "사업계획이 구체적이며 데이터 활용 수준이 양호함",
    }


async def score_everything(harness: ScoringHarness, panels: dict[str, list[int]]) -> None:
    async with harness.client(OPERATOR) as staff:
        listed = (
            await staff.get(f"/v1/calls/{AUTONOMOUS}/stages/{STAGE}/evaluations?limit=200")
        ).json()
    placement = {UUID(e["application_id"]).int: e["panel_id"] for e in listed["items"]}
    for panel_id, members in panels.items():
        for evaluator in members:
            async with harness.client(evaluator_user(evaluator)) as judge:
                mine = (
                    await judge.get(f"/v1/calls/{AUTONOMOUS}/stages/{STAGE}/evaluations?limit=200")
                ).json()["items"]
                assert {UUID(e["application_id"]).int for e in mine} == {
                    n for n, p in placement.items() if p == panel_id
                }
                for entry in mine:
                    n = UUID(entry["application_id"]).int
                    path = f"/v1/evaluations/{entry['application_id']}/{STAGE}/sheet"
                    saved = await judge.put(path, json=sheet_for(n, evaluator))
                    assert saved.status_code == 200, saved.text
                    submitted = await judge.post(path + "/submit")
                    assert submitted.status_code == 200, submitted.text


async def test_document_review_from_decisions_to_a_ranked_shortlist(
    scoring: ScoringHarness,
) -> None:
    await scoring.publish_call()
    snapshots = []
    for n in range(1, APPLICATIONS + 1):
        documents = await statements(scoring, n) if n == 1 else ()
        snapshot = await scoring.submit(n, documents=documents)
        await scoring.review(snapshot)
        snapshots.append(snapshot)
    ineligible = await scoring.submit(APPLICATIONS + 1)
    await scoring.review(ineligible, "ineligible")

    # The quantitative sheet of applicant 1: figures from the statements, with their page,
    # and the declared 2025 revenue that disagrees is flagged (001 붙임2 기업역량).
    async with scoring.client(OPERATOR) as staff:
        first = (await staff.get(f"/v1/evaluations/{UUID(int=1)}/{STAGE}")).json()
    revenue = next(m for m in first["quantitative"]["measures"] if m["code"] == "revenue-growth")
    assert Decimal(revenue["value"]) == Decimal("0.1") and revenue["points"] == 4
    used = {(u["year"], u["provenance"]) for u in revenue["inputs"]}
    assert used == {(2024, "document"), (2025, "document")}
    assert all(u["page"] for u in revenue["inputs"])
    assert "declared-differs" in {f["code"] for f in revenue["flags"]}
    async with scoring.client(OPERATOR) as staff:
        absent = await staff.get(f"/v1/evaluations/{UUID(int=APPLICATIONS + 1)}/{STAGE}")
    assert absent.status_code == 404  # ineligible: never entered

    evaluator_ids = await register_evaluators(scoring)
    async with scoring.client(OPERATOR) as staff:
        panel_ids = []
        for name, members in (("1분과", evaluator_ids[:3]), ("2분과", evaluator_ids[3:])):
            made = await staff.post(
                f"/v1/calls/{AUTONOMOUS}/stages/{STAGE}/panels",
                json={"name": name, "evaluator_ids": members},
            )
            assert made.status_code == 201, made.text
            panel_ids.append(made.json()["id"])
        first = (await staff.get(f"/v1/calls/{AUTONOMOUS}/stages/{STAGE}/panels?limit=1")).json()
        rest = await staff.get(
            f"/v1/calls/{AUTONOMOUS}/stages/{STAGE}/panels?cursor={first['next_cursor']}"
        )
        listed = [p["id"] for p in first["items"] + rest.json()["items"]]
        assert sorted(listed) == sorted(panel_ids) and rest.json()["next_cursor"] is None
        assigned = await staff.post(
            f"/v1/calls/{AUTONOMOUS}/stages/{STAGE}/assignment", json={"seed": 7}
        )
        assert assigned.status_code == 200, assigned.text
        summary = assigned.json()
    assert summary["assigned"] == APPLICATIONS and summary["unplaced"] == []
    assert sorted(summary["loads"].values()) == [15, 15]
    async with scoring.client(OPERATOR) as staff:
        listed = (
            await staff.get(f"/v1/calls/{AUTONOMOUS}/stages/{STAGE}/evaluations?limit=200")
        ).json()
    panel_of = {UUID(e["application_id"]).int: e["panel_id"] for e in listed["items"]}
    assert panel_of[5] == panel_ids[1]  # evaluator 1 (panel 1) declared applicant 5
    assert panel_of[7] == panel_ids[0]  # evaluator 4 (panel 2) works for applicant 7

    await score_everything(scoring, {panel_ids[0]: [1, 2, 3], panel_ids[1]: [4, 5, 6]})

    # An operator reopens one sheet with a reason: the stage cannot complete until it is
    # submitted again.
    some = next(n for n, p in panel_of.items() if p == panel_ids[0])
    async with scoring.client(OPERATOR) as staff:
        reopened = await staff.post(
            f"/v1/evaluations/{UUID(int=some)}/{STAGE}/sheets/{evaluator_ids[0]}/reopen",
            json={"reason": "수행환경 점수 산정 근거 재확인 요청"},
        )
        assert reopened.status_code == 200, reopened.text
        assert reopened.json()["state"] == "draft"
        early = await staff.post(f"/v1/calls/{AUTONOMOUS}/stages/{STAGE}/completion")
        assert early.status_code == 409, early.text
        assert early.json()["missing"][0]["application_id"] == str(UUID(int=some))
        trail = (
            await staff.get("/v1/audit-entries", params={"application_id": str(UUID(int=some))})
        ).json()
    assert "sheet.reopen" in {e["action"] for e in trail["items"]}
    async with scoring.client(evaluator_user(1)) as judge:
        again = await judge.post(f"/v1/evaluations/{UUID(int=some)}/{STAGE}/sheet/submit")
        assert again.status_code == 200, again.text

    async with scoring.client(OPERATOR) as staff:
        completed = await staff.post(f"/v1/calls/{AUTONOMOUS}/stages/{STAGE}/completion")
        assert completed.status_code == 200, completed.text
        ranking = (await staff.get(f"/v1/calls/{AUTONOMOUS}/stages/{STAGE}/ranking")).json()
        exported = await staff.get(
            f"/v1/calls/{AUTONOMOUS}/stages/{STAGE}/ranking/export", params={"format": "xlsx"}
        )
    rows = ranking["rows"]
    assert len(rows) == APPLICATIONS
    shortlisted = [r for r in rows if r["outcome"] == "shortlisted"]
    assert len(shortlisted) >= 23  # 15 × 1.5 = 22.5 → 23, ties at the cut pass too
    cut = min(Decimal(r["final"]) for r in shortlisted)
    assert all(Decimal(r["final"]) < cut for r in rows if r["outcome"] == "not-shortlisted")
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)

    # The committee's XLSX: the same ranks, companies and figures as the API.
    assert exported.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["순위", "기업명", "사업자등록번호"]
    final_column = header.index("최종점수")
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(lines) == len(rows)
    for line, row in zip(lines, rows, strict=True):
        assert line[0] == row["rank"] and line[1] == row["company_name"]
        assert Decimal(str(line[final_column])).quantize(Decimal("0.01")) == Decimal(row["final"])

    scored = await scoring.events(SCORING_APPLICATION_SCORED_V1)
    assert len(scored) == APPLICATIONS
    completions = await scoring.events(SCORING_STAGE_COMPLETED_V1)
    assert [c["result"]["why"] for c in completions] == ["completed"]

    # A disqualification found later: the application leaves, the next one moves up.
    leaving = UUID(rows[0]["application_id"])
    first_out = next(r for r in rows if r["outcome"] == "not-shortlisted")
    await scoring.review(snapshots[leaving.int - 1], "ineligible", sequence=2)
    async with scoring.client(OPERATOR) as staff:
        reranked = (await staff.get(f"/v1/calls/{AUTONOMOUS}/stages/{STAGE}/ranking")).json()
    assert reranked["sequence"] == 2 and reranked["why"] == "disqualification"
    assert str(leaving) not in {r["application_id"] for r in reranked["rows"]}
    moved = next(r for r in reranked["rows"] if r["application_id"] == first_out["application_id"])
    if len(shortlisted) == 23:
        assert moved["outcome"] == "shortlisted"
    completions = await scoring.events(SCORING_STAGE_COMPLETED_V1)
    assert [c["result"]["why"] for c in completions] == ["completed", "disqualification"]
    assert completions[-1]["result"]["removed"] == [str(leaving)]

    # The applicant sees its own result; another company does not.
    second = UUID(reranked["rows"][0]["application_id"])
    async with scoring.client(applicant(brn(second.int))) as owner:
        mine = await owner.get(f"/v1/evaluations/{second}/{STAGE}")
    assert mine.status_code == 200 and mine.json()["result"]["rank"] == 1
    async with scoring.client(applicant(brn(29 if second.int != 29 else 28))) as other:
        assert (await other.get(f"/v1/evaluations/{second}/{STAGE}")).status_code == 404

    # A formed consortium opens the on-site review for a shortlisted application only.
    last_out = next(r for r in reversed(reranked["rows"]) if r["outcome"] == "not-shortlisted")
    for row in (reranked["rows"][0], last_out):
        await scoring.deliver(
            ConsortiumFormedV1(
                consortium=FormedConsortium(
                    application_id=UUID(row["application_id"]),
                    call_id=AUTONOMOUS,
                    planner=ConsortiumParty(member_id=uuid4(), brn=brn(90), name="기획"),
                    suppliers=(ConsortiumParty(member_id=uuid4(), brn=brn(91), name="공급"),),
                    formed_at=datetime(2026, 7, 20, tzinfo=KST),
                )
            )
        )
    async with scoring.client(OPERATOR) as staff:
        on_site = await staff.get(
            f"/v1/evaluations/{reranked['rows'][0]['application_id']}/on-site-review"
        )
        not_on_site = await staff.get(
            f"/v1/evaluations/{last_out['application_id']}/on-site-review"
        )
    assert on_site.status_code == 200
    parties = {p["role"] for p in on_site.json()["parties"]}
    assert parties == {"applicant", "planner", "supplier"}
    assert not_on_site.status_code == 404


async def test_sheets_are_refused_with_the_field_at_fault(scoring: ScoringHarness) -> None:
    await scoring.publish_call()
    snapshot = await scoring.submit(1)
    await scoring.review(snapshot)
    [evaluator] = (await register_evaluators(scoring))[1:2]
    async with scoring.client(OPERATOR) as staff:
        await staff.post(
            f"/v1/calls/{AUTONOMOUS}/stages/{STAGE}/panels",
            json={"name": "1분과", "evaluator_ids": [evaluator]},
        )
        await staff.post(f"/v1/calls/{AUTONOMOUS}/stages/{STAGE}/assignment", json={"seed": 1})
    path = f"/v1/evaluations/{snapshot.application_id}/{STAGE}/sheet"
    async with scoring.client(evaluator_user(2)) as judge:
        over = await judge.put(path, json={"items": {"necessity": "20.5"}})
        assert over.status_code == 422 and over.json()["field"] == "items.necessity"
        quantitative = await judge.put(path, json={"items": {"capability": "10"}})
        assert quantitative.status_code == 422
        assert quantitative.json()["field"] == "items.capability"
        extreme = {"items": {"participation-will": "20", "necessity": "12", "environment": "30"}}
        assert (await judge.put(path, json=extreme)).status_code == 200
        unexplained = await judge.post(path + "/submit")
        assert unexplained.status_code == 422
        assert unexplained.json()["field"] == "comments.participation-will"
        explained = extreme | {
            "comments": {"participation-will": "구축 목표와 자금조달 계획이 매우 구체적임"}
        }
        assert (await judge.put(path, json=explained)).status_code == 200
        assert (await judge.post(path + "/submit")).status_code == 200
        locked = await judge.put(path, json=explained)
        assert locked.status_code == 409
    async with scoring.client(evaluator_user(3)) as outsider:
        assert (await outsider.put(path, json=explained)).status_code in (403, 404)
    async with scoring.client(OPERATOR) as staff:
        no_reason = await staff.post(
            f"/v1/evaluations/{snapshot.application_id}/{STAGE}/sheets/{evaluator}/reopen",
            json={"reason": "x"},
        )
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"


async def test_a_measure_to_confirm_is_confirmed_with_a_reason(scoring: ScoringHarness) -> None:
    """A statement that cannot be read leaves the declared figures in its place, marked
    for confirmation (001 §3 목록 6); an operator confirms the points with a reason."""
    await scoring.publish_call()
    unreadable = statement_ref(await scoring.stored(b"%PDF-1.4 scanned image only"), 2025)
    snapshot = await scoring.submit(3, documents=(unreadable,))
    await scoring.review(snapshot)
    path = f"/v1/evaluations/{snapshot.application_id}/{STAGE}"
    async with scoring.client(OPERATOR) as staff:
        before = (await staff.get(path)).json()
        assert before["needs_confirmation"] is True
        growth = next(
            m for m in before["quantitative"]["measures"] if m["code"] == "revenue-growth"
        )
        assert growth["needs_confirmation"] and {u["provenance"] for u in growth["inputs"]} == {
            "declared"
        }
        assert "document-unreadable" in {f["code"] for f in growth["flags"]}
        short = await staff.put(
            path + "/quantitative/revenue-growth", json={"points": 2, "reason": "x"}
        )
        assert short.status_code == 422 and short.json()["field"] == "reason"
        confirmed = await staff.put(
            path + "/quantitative/revenue-growth",
            json={"points": 2, "reason": "국세청 발급본 원본 대조 결과 신고 매출액 확인"},
        )
        assert confirmed.status_code == 200, confirmed.text
    sheet = confirmed.json()["quantitative"]
    assert sheet["points"] == before["quantitative"]["points"] - growth["points"] + 2
    measure = next(m for m in sheet["measures"] if m["code"] == "revenue-growth")
    assert measure["confirmed"]["points"] == 2
    async with scoring.client(applicant(brn(4))) as stranger:
        denied = await stranger.put(
            path + "/quantitative/revenue-growth", json={"points": 5, "reason": "내 점수 올리기"}
        )
    assert denied.status_code == 404


async def test_a_resubmission_replaces_what_is_evaluated_until_scoring_starts(
    scoring: ScoringHarness,
) -> None:
    await scoring.publish_call()
    first = await scoring.submit(8)
    await scoring.review(first)
    second = first.model_copy(
        update={
            "submission_version": 2,
            "applicant": first.applicant.model_copy(update={"name": "(주)시험기업08 (정정)"}),
        }
    )
    await scoring.deliver(ApplicationSubmittedV1(application=second))
    await scoring.review(second, sequence=2)
    async with scoring.client(OPERATOR) as staff:
        seen = (await staff.get(f"/v1/evaluations/{first.application_id}/{STAGE}")).json()
    assert seen["company_name"] == "(주)시험기업08 (정정)"

    # A verdict about an earlier submission than the one held changes nothing.
    await scoring.review(first, "ineligible", sequence=1)
    async with scoring.client(OPERATOR) as staff:
        still = (await staff.get(f"/v1/evaluations/{first.application_id}/{STAGE}")).json()
    assert still["status"] == "open"
