"""The log epoch: which life of the database a cursor or an idempotency key belongs to.

A restore from a backup takes the database back in time, and its sequences hand out the
numbers they handed out after the backup once more: event 120 of the restored log is not the
event 120 a subscriber saw, and rebuttal 42's first publication to AKP is not the one AKP
received. The epoch, a random token in the one-row table ``log_epoch``, drawn when the
database is created and again by the restore step (``coordhub log new-epoch``), tells the two
lives apart: every cursor and every idempotency key carries it, so a cursor of another epoch is
refused with ``CURSOR_EXPIRED`` and a key of the new epoch was never seen by any outlet.

The token is read once per process (per database, for the tests' many databases in one
process) and kept; a cursor naming another epoch makes one more read of the row, in case the
epoch changed under a running process, before it is refused.
"""

from __future__ import annotations

import secrets
import weakref

from tortoise.context import get_current_context
from tortoise.transactions import in_transaction

from coordhub.models import LogEpoch

#: The only row of ``log_epoch``.
ROW = 1
#: Hexadecimal characters in a token (48 random bits).
TOKEN_LENGTH = 12

_known: weakref.WeakKeyDictionary[object, str] = weakref.WeakKeyDictionary()


class EpochMissing(RuntimeError):
    """The database has no epoch row: ``coordhub migrate`` has not run on it."""


class _NoContext:
    """The key of the epoch read outside any Tortoise context (there is none to key it by)."""


_NO_CONTEXT = _NoContext()


def _database() -> object:
    """What the epoch read is kept for: the open ORM context (one per database opened), not
    its connection, which a transaction stands in for."""
    return get_current_context() or _NO_CONTEXT


async def _read() -> str:
    row = await LogEpoch.get_or_none(id=ROW)
    if row is None:
        raise EpochMissing("The database has no log epoch: run `coordhub migrate`.")
    _known[_database()] = row.token
    return row.token


async def current_epoch() -> str:
    """This database's epoch, read once and kept."""
    known = _known.get(_database())
    return known if known is not None else await _read()


def known_epoch() -> str:
    """The epoch already read by ``current_epoch`` (for code that cannot await)."""
    known = _known.get(_database())
    if known is None:
        raise RuntimeError("The log epoch was not read yet: await current_epoch() first.")
    return known


async def is_current(epoch: str) -> bool:
    """Whether ``epoch`` is this database's; one read of the row when it is not the one kept."""
    if epoch == await current_epoch():
        return True
    return epoch == await _read()


async def new_epoch() -> tuple[str, str]:
    """The restore step: draw a new epoch. Returns (the old epoch, the new one)."""
    token = secrets.token_hex(TOKEN_LENGTH // 2)
    async with in_transaction():
        row = await LogEpoch.select_for_update().get_or_none(id=ROW)
        if row is None:
            raise EpochMissing("The database has no log epoch: run `coordhub migrate`.")
        old = row.token
        await LogEpoch.filter(id=ROW).update(token=token)
    _known[_database()] = token
    return old, token
