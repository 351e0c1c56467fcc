"""Bearer tokens, roles and the Starlette authentication backend.

A token is ``chub_`` plus 32 random bytes (URL-safe base64). Only its SHA-256 digest is
stored: the secret has 256 bits of entropy, so a slow password hash would add nothing but
latency to every request. The secret is shown once, when it is created.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    BaseUser,
)
from starlette.requests import HTTPConnection
from tortoise.transactions import in_transaction

from coordhub.actor import Actor
from coordhub.db import placeholders
from coordhub.events.log import append, committed
from coordhub.models import (
    INSTITUTION_ROLES,
    Account,
    Event,
    EventType,
    Institution,
    Role,
    Token,
)
from coordhub.workflow.errors import invalid, not_found

log = logging.getLogger(__name__)

TOKEN_PREFIX = "chub_"


def digest(secret: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(secret.encode()).hexdigest()


class InvalidToken(Exception):
    """A token was sent but is unknown, malformed or revoked."""


def _token_statement(dialect: str) -> str:
    """The statement that reads a live token's actor by digest. Every signed-in request runs
    it: one fixed text (PostgreSQL prepares it once per connection), not a query Tortoise
    builds each time (with its joins, half the cost of a compiled page)."""
    token, account = Token._meta.db_table, Account._meta.db_table
    institution = Institution._meta.db_table
    [placeholder] = placeholders(dialect, 1)
    return (
        f'SELECT t."id" "token_id", a."id" "account_id", a."name" "name", a."role" "role", '
        f'i."id" "institution_id", i."slug" "institution_slug" FROM "{token}" t '
        f'JOIN "{account}" a ON a."id" = t."account_id" '
        f'LEFT JOIN "{institution}" i ON i."id" = a."institution_id" '
        f'WHERE t."digest" = {placeholder} AND t."revoked_at" IS NULL'
    )


_TOKEN_STATEMENTS = {dialect: _token_statement(dialect) for dialect in ("postgres", "sqlite")}


async def actor_for_token(secret: str) -> Actor:
    """The actor a token stands for, or ``InvalidToken``."""
    # Tokens are ASCII; anything else (a lone surrogate from a websocket's JSON, say) is no
    # token, and would not even hash.
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 128 or not secret.isascii():
        raise InvalidToken("The token is malformed.")
    db = Token._choose_db()
    statement = _TOKEN_STATEMENTS[db.capabilities.dialect]
    rows = await db.execute_query_dict(statement, [digest(secret)])
    if not rows:
        raise InvalidToken("The token is unknown or has been revoked.")
    row = rows[0]
    return Actor(
        account_id=row["account_id"],
        name=row["name"],
        role=Role(row["role"]),
        institution_id=row["institution_id"],
        institution_slug=row["institution_slug"],
        token_id=row["token_id"],
    )


def bearer_secret(authorization: str | None) -> str | None:
    """The secret of an ``Authorization: Bearer`` header, ``None`` if absent."""
    if not authorization:
        return None
    scheme, _, secret = authorization.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise InvalidToken("Use 'Authorization: Bearer <token>'.")
    return secret.strip()


class ActorUser(BaseUser):
    """Starlette's view of an authenticated actor."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.actor.name


class TokenCheckUnavailable(AuthenticationError):
    """The token could not be checked (the database is unreachable): neither accepted nor
    refused. Answered with 503 and Retry-After, never with public access."""


class TokenBackend(AuthenticationBackend):
    """Authenticates ``Authorization: Bearer`` on HTTP requests.

    No header means a public caller. A bad token is an error, never public access.
    """

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        try:
            secret = bearer_secret(conn.headers.get("authorization"))
            if secret is None:
                return None
            actor = await actor_for_token(secret)
        except InvalidToken as exc:
            raise AuthenticationError(str(exc)) from exc
        except Exception as exc:  # the database is unreachable (restarting, say)
            log.warning("could not check a token: %s: %s", type(exc).__name__, exc)
            raise TokenCheckUnavailable("Could not check your token just now; try again.") from exc
        return AuthCredentials(["authenticated", actor.role.value]), ActorUser(actor)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A freshly created token: the secret exists only here."""

    token: Token
    account: Account
    secret: str


async def create_token(name: str, role: Role, institution_slug: str | None) -> IssuedToken:
    """Create an account with one token. Editors and approvers must name their institution."""
    name = name.strip()
    if not name or len(name) > 200:
        raise invalid("Give the account a name of 1 to 200 characters.", "name")
    institution = None
    if institution_slug:
        institution = await Institution.get_or_none(slug=institution_slug)
        if institution is None:
            raise not_found("institution", "institution")
    if role in INSTITUTION_ROLES and institution is None:
        raise invalid(
            f"A {role.value} acts for one institution: pass --institution.", "institution"
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with in_transaction():
        account = await Account.create(name=name, role=role, institution=institution)
        token = await Token.create(account=account, digest=digest(secret), prefix=secret[:12])
    return IssuedToken(token=token, account=account, secret=secret)


async def revoke_token(token_id: int) -> Token:
    """Revoke a token at once; requests carrying it get UNAUTHENTICATED from then on."""
    async with in_transaction():
        token = await Token.filter(id=token_id).select_for_update().first()
        if token is None:
            raise not_found("token")
        if token.revoked_at is None:
            token.revoked_at = datetime.now(UTC)
            await token.save(update_fields=["revoked_at"])
            # Live subscriptions holding this token end when they read this event.
            await append(EventType.TOKEN_REVOKED, actor=None, payload={"tokenId": token.id})
    await committed()
    return token


async def token_is_revoked(token_id: int) -> bool:
    """Whether a token has been revoked (or no longer exists): one primary-key read."""
    rows = await Token.filter(id=token_id).limit(1).values_list("revoked_at", flat=True)
    return not rows or rows[0] is not None


class Revocations:
    """The tokens this process knows to be revoked, fed by TOKEN_REVOKED events from its log
    tail (``observe``), so every process hears of a revocation made in any other.

    ``is_revoked`` answers from the cache when it knows, else with a primary-key read (which
    it then remembers): a revocation committed a moment ago in another process, not yet read
    by the tail, is still seen. Only revoked ids are kept, so the cache grows with revocations
    (an operator's action), not with traffic.
    """

    def __init__(self) -> None:
        self.revoked: set[int] = set()

    def observe(self, event: Event) -> int | None:
        """Note a TOKEN_REVOKED event; the revoked token's id, or ``None`` for other events."""
        if event.type != EventType.TOKEN_REVOKED:
            return None
        token_id = (event.payload or {}).get("tokenId")
        if not isinstance(token_id, int):
            return None
        self.revoked.add(token_id)
        return token_id

    def known_revoked(self, token_id: int) -> bool:
        """Whether the cache already says so (no database read)."""
        return token_id in self.revoked

    async def is_revoked(self, token_id: int) -> bool:
        """Whether the token is revoked now; raises if the database cannot say."""
        if token_id in self.revoked:
            return True
        if await token_is_revoked(token_id):
            self.revoked.add(token_id)
            return True
        return False


async def list_tokens() -> list[Token]:
    """Every token with its account and institution, oldest first."""
    return await Token.all().order_by("id").select_related("account__institution")
