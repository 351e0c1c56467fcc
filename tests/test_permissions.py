import time
from tests.support import GraphQLClient

REPORT = {"summary": {"km": "ក", "en": "x"}, "topic": "health"}


async def test_timing(gql: GraphQLClient) -> None:
    t = time.perf_counter()
    c = await gql.mutate("reportClaim", REPORT, as_="reporter")
    cid = c["claim"]["id"]
    p = await gql.mutate(
        "triageClaim",
        {"claimId": cid, "lead": "health", "supporting": ["education"], "priority": "HIGH"},
        as_="coordinator",
    )
    assert p["errors"] == []
    p = await gql.mutate(
        "draftRebuttal",
        {
            "claimId": cid,
            "verdict": "FALSE",
            "headline": {"km": "a", "en": "b"},
            "body": {"km": "a", "en": "b"},
            "evidence": [{"url": "https://moh.gov.kh/x", "title": "t"}],
        },
        as_="health_editor",
    )
    assert p["errors"] == [], p
    rid = p["rebuttal"]["id"]
    for name, inp, who in [
        ("submitRebuttal", {"rebuttalId": rid}, "health_editor"),
        ("reviewRebuttal", {"rebuttalId": rid, "decision": "APPROVE"}, "health_approver"),
        ("publishRebuttal", {"rebuttalId": rid}, "health_editor"),
        ("reviseRebuttal", {"rebuttalId": rid}, "health_editor"),
        ("submitRebuttal", {"rebuttalId": rid}, "health_editor"),
        ("reviewRebuttal", {"rebuttalId": rid, "decision": "APPROVE"}, "health_approver"),
    ]:
        p = await gql.mutate(name, inp, as_=who)
        assert p["errors"] == [], (name, p)
    print("setup", time.perf_counter() - t)
    p = await gql.mutate(
        "updateRebuttal", {"rebuttalId": rid, "headline": {"km": "a", "en": "c"}}, as_=None
    )
    print(p)
    p = await gql.mutate("reviewRebuttal", {"rebuttalId": rid, "decision": "APPROVE"}, as_=None)
    print(p)
