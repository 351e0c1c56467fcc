"""A fresh database per test, on SQLite or PostgreSQL as ``COORDHUB_TEST_DATABASE`` says.

- unset: SQLite, and PostgreSQL for tests marked ``postgres_only``: everything runs once;
- ``sqlite``: SQLite; ``postgres_only`` tests are left to the PostgreSQL run;
- ``postgres``: PostgreSQL for every test that uses a database; ``sqlite_only`` tests and tests
  that use no database (they would only repeat the SQLite run) are left out.

``make test`` runs the suite with ``sqlite``, then with ``postgres``. A SQLite database is a file
copied from a migrated template; a PostgreSQL one is ``CREATE DATABASE ... TEMPLATE`` of a
migrated template database, dropped (``WITH (FORCE)``) in the background after the test.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import pytest

from tests import pg

Kind = Literal["sqlite", "postgres"]
MODES = ("", "sqlite", "postgres")
VARIABLE = "COORDHUB_TEST_DATABASE"
MODE = os.environ.get(VARIABLE, "").strip().lower()


def kind_for(node: pytest.Item | pytest.Collector | None = None) -> Kind:
    """The database a test (or module) gets in this run."""
    if MODE == "postgres" or (node is not None and node.get_closest_marker("postgres_only")):
        return "postgres"
    return "sqlite"


class Databases:
    """Makes fresh databases from migrated templates (one per kind, made on first use)."""

    def __init__(self) -> None:
        self._directory: Path | None = None
        self._sqlite_template: Path | None = None

    @property
    def directory(self) -> Path:
        if self._directory is None:
            self._directory = Path(tempfile.mkdtemp(prefix="coordhub-tests-"))
        return self._directory

    def sqlite_template(self) -> Path:
        if self._sqlite_template is None:
            from coordhub.db import migrate
            from coordhub.settings import Settings

            path = self.directory / "template.db"
            asyncio.run(migrate(Settings(database_url=f"sqlite://{path}")))
            self._sqlite_template = path
        return self._sqlite_template

    @contextmanager
    def fresh(
        self, kind: Kind, *, migrated: bool = True, directory: Path | None = None
    ) -> Iterator[str]:
        """A new database's URL, migrated (a template copy) or empty; gone after the block
        (a SQLite file stays if it was made in ``directory``, e.g. a test's ``tmp_path``)."""
        if kind == "postgres":
            server = pg.server()
            url = server.create(migrated=migrated)
            try:
                yield url
            finally:
                server.drop(url)
            return
        keep = directory is not None
        folder = directory or Path(tempfile.mkdtemp(dir=self.directory))
        path = folder / "coordhub.db"
        if migrated:
            shutil.copyfile(self.sqlite_template(), path)
        try:
            yield f"sqlite://{path}"
        finally:
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        pg.shutdown()
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None
            self._sqlite_template = None


#: The process's databases (the fixtures in conftest and tests that make their own use it).
databases = Databases()
