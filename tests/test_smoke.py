from tests.support import GraphQLClient


async def test_viewer_is_the_token_holder(gql: GraphQLClient) -> None:
    data = await gql.execute("{ viewer { name role institution { slug } } }", as_="health_editor")
    assert data["viewer"] == {
        "name": "health_editor",
        "role": "EDITOR",
        "institution": {"slug": "health"},
    }


async def test_public_viewer_is_null(gql: GraphQLClient) -> None:
    assert (await gql.execute("{ viewer { name } }"))["viewer"] is None
