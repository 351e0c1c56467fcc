import time
from tests.support import GraphQLClient

REPORT = {"summary": {"km": "ក", "en": "x"}, "topic": "health"}
SNAP = """query($id: ID!) { node(id: $id) { ... on Claim { status leadInstitution { slug } } }
 events(first: 100) { edges { cursor } } }"""

async def test_timing(gql: GraphQLClient) -> None:
    c = await gql.mutate("reportClaim", REPORT, as_="reporter")
    t = time.perf_counter()
    for i in range(20):
        await gql.execute("{ viewer { name } }", as_="observer")
    print("viewer", (time.perf_counter() - t) / 20)
    t = time.perf_counter()
    for i in range(20):
        await gql.execute("{ __typename }")
    print("typename public", (time.perf_counter() - t) / 20)
    t = time.perf_counter()
    for i in range(20):
        await gql.execute(SNAP, {"id": c["claim"]["id"]}, as_="observer")
    print("lean snap", (time.perf_counter() - t) / 20)
