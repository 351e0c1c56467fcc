"""The committed SDL is the schema the code serves."""

from pathlib import Path

from coordhub.schema import create_schema
from coordhub.settings import Settings

SDL = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_schema_graphql_is_current() -> None:
    current = create_schema(Settings()).as_str() + "\n"
    assert SDL.read_text(encoding="utf-8") == current, (
        "schema.graphql is stale: run `make schema` and commit it."
    )


def test_every_type_and_field_is_described() -> None:
    schema = create_schema(Settings())._schema
    missing = []
    for name, gql_type in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Boolean", "ID", "Float"}:
            continue
        if not gql_type.description and name not in {"Query", "Mutation"}:
            missing.append(name)
        for field_name, field in getattr(gql_type, "fields", {}).items():
            if not field.description:
                missing.append(f"{name}.{field_name}")
    assert missing == []
