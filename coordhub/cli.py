"""The ``coordhub`` command.

``serve`` (the API, by default with a delivery worker and, with ``--simulators``, the outlet
simulators), ``worker``, ``simulate-outlets``, ``migrate``, ``demo``, ``export-schema``, and the
groups ``token`` (create, list, revoke), ``institutions`` (list, add, import-working-group),
``connectors`` (list, enable), ``deliveries`` (retry), ``log`` (epoch, new-epoch: the restore
step), ``claims`` (import) and ``rebuttals`` (export).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from coordhub.db import database
from coordhub.db import migrate as apply_migrations
from coordhub.logs import configure_logging
from coordhub.models import InstitutionKind, Role
from coordhub.settings import Settings
from coordhub.workflow.errors import WorkflowError

app = typer.Typer(help="coordhub: claims, rebuttals and their delivery.", no_args_is_help=True)
token_app = typer.Typer(help="Create, list and revoke bearer tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")
institutions_app = typer.Typer(help="Register the working group's institutions.")
app.add_typer(institutions_app, name="institutions")
connectors_app = typer.Typer(help="Inspect and re-enable outlet connectors.", no_args_is_help=True)
app.add_typer(connectors_app, name="connectors")
deliveries_app = typer.Typer(help="Operate deliveries to outlets.", no_args_is_help=True)
app.add_typer(deliveries_app, name="deliveries")
log_app = typer.Typer(
    help="The event log's epoch (see Restoring from a backup).", no_args_is_help=True
)
app.add_typer(log_app, name="log")
claims_app = typer.Typer(help="Report claims in bulk.", no_args_is_help=True)
app.add_typer(claims_app, name="claims")
rebuttals_app = typer.Typer(help="Write out the public record.", no_args_is_help=True)
app.add_typer(rebuttals_app, name="rebuttals")
console = Console()
errors = Console(stderr=True, soft_wrap=True)

P = ParamSpec("P")
T = TypeVar("T")


def run_async(func: Callable[P, Awaitable[T]]) -> Callable[P, T]:
    """Run an async command; a ``WorkflowError`` becomes a message and exit status 1."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return asyncio.run(func(*args, **kwargs))  # type: ignore[arg-type]
        except WorkflowError as exc:
            where = f" ({exc.field})" if exc.field else ""
            errors.print(f"[red]error[/red] {exc.code.value}{where}: {exc.message}")
            raise typer.Exit(1) from exc

    return wrapper


async def _migrated_or_exit(settings: Settings) -> None:
    """Servers and workers do not start on a database `coordhub migrate` never ran on (it is a
    release step, not theirs): say so and exit with status 2."""
    from coordhub.db import SchemaMissing, require_schema

    try:
        async with database(settings):
            await require_schema(settings)
    except SchemaMissing as exc:
        errors.print(f"error: {exc}")
        raise typer.Exit(2) from exc


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="API processes (PostgreSQL; each may run a worker).")
    ] = 1,
    simulators: Annotated[
        int | None,
        typer.Option(
            help="Also serve the outlet simulators on this port, and deliver to them with "
            "connectors that have no settings of their own (for demos)."
        ),
    ] = None,
) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql) and, by default, the delivery worker."""
    import uvicorn

    from coordhub.app import create_app
    from coordhub.web.serving import uvicorn_options

    settings = Settings()
    configure_logging(settings)
    asyncio.run(_migrated_or_exit(settings))
    if workers > 1:
        if simulators is not None:
            errors.print("error: --simulators runs in one process: drop --workers")
            raise typer.Exit(2)
        if settings.embedded_worker and not settings.database_url.startswith("postgres"):
            errors.print(
                "error: on SQLite, API processes would each run a delivery worker and send "
                "twice: set COORDHUB_EMBEDDED_WORKER=false and run one `coordhub worker`."
            )
            raise typer.Exit(2)
        # Each process builds its app from the environment (a factory), as uvicorn requires.
        uvicorn.run(
            "coordhub.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            **uvicorn_options(settings),
        )
        return
    if simulators is None:
        uvicorn.run(create_app(settings), host=host, port=port, **uvicorn_options(settings))
        return

    from coordhub.connectors.config import raw_settings
    from coordhub.simulators import serve_simulators, simulator_connectors

    # Connectors without operator settings deliver to the simulators.
    demo = simulator_connectors(f"http://{host}:{simulators}")
    unconfigured = {name: t for name, t in demo.items() if raw_settings(settings, name) is None}
    settings = settings.model_copy(update={"connectors": unconfigured | settings.connectors})
    application = create_app(settings)

    async def both() -> None:
        config = uvicorn.Config(application, host=host, port=port, **uvicorn_options(settings))
        api = uvicorn.Server(config)
        outlets = asyncio.create_task(serve_simulators(host, simulators, log_level="warning"))
        try:
            await api.serve()
        finally:
            outlets.cancel()
            await asyncio.gather(outlets, return_exceptions=True)

    asyncio.run(both())


@app.command()
@run_async
async def worker(
    owner: Annotated[str | None, typer.Option(help="Name of this worker in leases.")] = None,
) -> None:
    """Run a delivery worker on its own (several may run against PostgreSQL); it also
    publishes scheduled rebuttals when they are due."""
    import signal

    from coordhub.connectors.manager import load_registry
    from coordhub.connectors.runtime import running_connectors
    from coordhub.connectors.worker import DeliveryWorker
    from coordhub.events.wakeups import wakeups
    from coordhub.workflow.timers import running_timers

    settings = Settings()
    configure_logging(settings)
    registry = load_registry(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await _migrated_or_exit(settings)
    async with (
        database(settings),
        wakeups(settings),
        running_connectors(settings, registry, worker=False),
        running_timers(settings),
    ):
        delivery_worker = DeliveryWorker(settings, registry, owner=owner)
        console.print(f"Delivery worker {delivery_worker.owner} running; Ctrl-C stops it.")
        try:
            await delivery_worker.run(stop)
        finally:
            await delivery_worker.http.aclose()


@app.command("simulate-outlets")
def simulate_outlets(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8900,
) -> None:
    """Serve realistic AKP, TVK, ministry-app and webhook receivers (see /_control)."""
    from coordhub.simulators import serve_simulators

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_simulators(host, port))


@app.command()
@run_async
async def migrate() -> None:
    """Apply pending database migrations (a release step; safe to repeat)."""
    settings = Settings()
    await apply_migrations(settings)
    console.print(f"Database at [bold]{settings.database_url}[/bold] is up to date.")


@app.command()
@run_async
async def demo() -> None:
    """Load demo institutions, claims and accounts into an empty database; print the tokens."""
    from coordhub.demo.load import load_demo

    settings = Settings()
    async with database(settings, global_fallback=False):
        tokens = await load_demo(settings)
    if tokens is None:
        console.print("The database already has data: demo not loaded.")
        return
    console.print(
        "[bold]Demo tokens[/bold], shown once (more with `coordhub token create`). "
        "Send one as 'Authorization: Bearer <token>':"
    )
    for token in tokens:
        where = f"@{token.institution}" if token.institution else ""
        print(f"  {token.role.value + where:<20} {token.secret}  # {token.name}")


@token_app.command("create")
@run_async
async def token_create(
    role: Annotated[Role, typer.Option(case_sensitive=False, help="What the account may do.")],
    name: Annotated[str, typer.Option(help="The desk or system holding the token.")],
    institution: Annotated[
        str | None, typer.Option(help="Slug of its institution (EDITOR and APPROVER need one).")
    ] = None,
) -> None:
    """Create an account with a token. The token is the last line; it is shown only once."""
    from coordhub.auth import create_token

    async with database(Settings(), global_fallback=False):
        issued = await create_token(name, role, institution)
    console.print(
        f"Created token {issued.token.id} for {issued.account.name} ({role.value}"
        f"{', ' + institution if institution else ''}). Store it now; it is not shown again:"
    )
    print(issued.secret)


@token_app.command("list")
@run_async
async def token_list() -> None:
    """List tokens (never their secrets)."""
    from coordhub.auth import list_tokens

    async with database(Settings(), global_fallback=False):
        tokens = await list_tokens()
    table = Table()
    for column in ("id", "prefix", "role", "institution", "name", "created", "revoked"):
        table.add_column(column)
    for token in tokens:
        account = token.account
        table.add_row(
            str(token.id),
            token.prefix + "…",
            account.role.value,
            account.institution.slug if account.institution else "-",
            account.name,
            f"{token.created_at:%Y-%m-%d %H:%M}",
            f"{token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "-",
        )
    console.print(table)


@token_app.command("revoke")
@run_async
async def token_revoke(
    token_id: Annotated[int, typer.Argument(help="Id from `token list`.")],
) -> None:
    """Revoke a token at once."""
    from coordhub.auth import revoke_token

    async with database(Settings(), global_fallback=False):
        await revoke_token(token_id)
    console.print(f"Token {token_id} revoked.")


@institutions_app.command("list")
@run_async
async def institutions_list() -> None:
    """List registered institutions."""
    from coordhub.models import Institution

    async with database(Settings(), global_fallback=False):
        rows = await Institution.all().order_by("id")
    table = Table()
    for column in ("slug", "kind", "English", "Khmer"):
        table.add_column(column)
    for row in rows:
        table.add_row(row.slug, row.kind.value, row.name_en, row.name_km)
    console.print(table)


@institutions_app.command("add")
@run_async
async def institutions_add(
    slug: Annotated[str, typer.Option(help="Short stable name, e.g. `health`.")],
    name_km: Annotated[str, typer.Option("--name-km", help="Official Khmer name.")],
    name_en: Annotated[str, typer.Option("--name-en", help="Official English name.")],
    kind: Annotated[InstitutionKind, typer.Option(case_sensitive=False)] = InstitutionKind.MINISTRY,
) -> None:
    """Register one institution."""
    from coordhub.workflow.institutions import add_institution

    async with database(Settings(), global_fallback=False):
        await add_institution(slug, name_km, name_en, kind)
    console.print(f"Registered {slug}.")


@institutions_app.command("import-working-group")
@run_async
async def institutions_import() -> None:
    """Register the Ministry of Information and the working group's ministries and bodies."""
    from coordhub.demo.load import working_group
    from coordhub.workflow.institutions import import_institutions

    async with database(Settings(), global_fallback=False):
        added = await import_institutions(working_group())
    console.print(f"Registered {added} institutions ({len(working_group()) - added} were there).")


@connectors_app.command("list")
@run_async
async def connectors_list(
    health: Annotated[bool, typer.Option(help="Also ask each outlet whether it is up.")] = True,
) -> None:
    """Show each connector, its plugin and version, whether it is configured, and its health."""
    import httpx

    from coordhub.connectors.config import ConnectorNotConfigured, settings_for
    from coordhub.connectors.manager import load_registry
    from coordhub.models import ConnectorState

    settings = Settings()
    registry = load_registry(settings)
    async with database(settings, global_fallback=False):
        states = {s.name: s for s in await ConnectorState.all()}
    table = Table()
    for column in ("connector", "plugin", "version", "configured", "enabled", "health"):
        table.add_column(column)
    async with httpx.AsyncClient() as http:
        for name, connector in sorted(registry.connectors.items()):
            origin = registry.origins.get(name)
            state = states.get(name)
            try:
                connector_settings = settings_for(settings, connector)
                configured, status = "yes", "-"
                if health:
                    result = await connector.health(connector_settings, http)
                    status = ("up" if result.ok else "DOWN") + (
                        f" ({result.detail})" if result.detail else ""
                    )
            except ConnectorNotConfigured as exc:
                configured, status = f"no: {escape(str(exc))}", "-"
            except Exception as exc:
                configured, status = "yes", f"DOWN ({type(exc).__name__})"
            disabled = state is not None and state.disabled_at is not None
            table.add_row(
                name,
                origin.name if origin else "?",
                (origin.version if origin else None) or "-",
                configured,
                f"no: {state.disabled_reason}" if disabled and state else "yes",
                status,
            )
    console.print(table)
    for problem in registry.problems:
        errors.print(f"[yellow]problem[/yellow] {problem}")


@connectors_app.command("enable")
@run_async
async def connectors_enable(name: Annotated[str, typer.Argument(help="Connector name.")]) -> None:
    """Re-enable a connector the core disabled after its outlet answered 410 Gone."""
    from coordhub.workflow.deliveries import enable_connector

    async with database(Settings(), global_fallback=False):
        changed = await enable_connector(name)
    console.print(f"Connector {name} " + ("re-enabled." if changed else "was not disabled."))


@deliveries_app.command("retry")
@run_async
async def deliveries_retry(
    connector: Annotated[str, typer.Option(help="The connector whose failures to replay.")],
    since: Annotated[
        datetime, typer.Option(help="Replay failures queued at or after this time (UTC if bare).")
    ],
) -> None:
    """Replay failed deliveries to one outlet after an outage, with their frozen payloads."""
    from rich.progress import Progress

    from coordhub.models import Delivery, DeliveryStatus
    from coordhub.workflow.deliveries import retry_failed

    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    async with database(Settings(), global_fallback=False):
        total = await Delivery.filter(
            connector=connector, status=DeliveryStatus.FAILED, created_at__gte=since
        ).count()
        requeued = 0
        with Progress(console=console) as progress:
            task = progress.add_task(f"Replaying {connector}", total=total)
            async for delivery, outcome in retry_failed(connector, since):
                requeued += outcome == "requeued"
                if outcome != "requeued":
                    progress.console.print(f"delivery {delivery.id}: {outcome}")
                progress.advance(task)
    console.print(f"Requeued {requeued} of {total} failed deliveries to {connector}.")


@log_app.command("epoch")
@run_async
async def log_epoch() -> None:
    """Print the log epoch: the token every cursor and idempotency key carries."""
    from coordhub.events.epoch import current_epoch

    async with database(Settings(), global_fallback=False):
        console.print(await current_epoch())


@log_app.command("new-epoch")
@run_async
async def log_new_epoch() -> None:
    """The restore step: after restoring the database from a backup, and before any API process
    or worker starts on it, draw a new log epoch."""
    from coordhub.events.epoch import new_epoch

    async with database(Settings(), global_fallback=False):
        old, new = await new_epoch()
    console.print(
        f"Log epoch {old} -> {new}. Cursors of epoch {old} are now refused with "
        "CURSOR_EXPIRED (subscribers resynchronise and subscribe again), and new deliveries "
        "get idempotency keys no outlet has seen. Start the API processes and workers now."
    )


class FileFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    claimreview = "claimreview"


class Language(StrEnum):
    km = "km"
    en = "en"


@claims_app.command("import")
@run_async
async def claims_import(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="A CSV (header row) or JSON Lines file.",
        ),
    ],
    token: Annotated[
        str,
        typer.Option(
            envvar="COORDHUB_TOKEN",
            show_envvar=True,
            help="The token to report as (a reporter's, an institution's desk's, the "
            "coordinator's): the events name its account. Prefer the environment variable.",
        ),
    ],
    format: Annotated[
        FileFormat | None, typer.Option(help="csv or jsonl; by default from the extension.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option(help="Check every line and show duplicates; write nothing.")
    ] = False,
    all_or_nothing: Annotated[
        bool, typer.Option(help="Import only if no line is refused (checked first).")
    ] = False,
    report: Annotated[
        Path | None, typer.Option(dir_okay=False, help="Also write the refused lines as CSV.")
    ] = None,
) -> None:
    """Report the claims of a monitoring export, each line as reportClaim would: refused lines
    are listed with the reason and write nothing; exit status 1 if any was refused."""
    from coordhub.auth import InvalidToken, actor_for_token
    from coordhub.io.claim_files import FileRefused, format_of
    from coordhub.io.claim_import import import_file, print_report, write_refusals
    from coordhub.workflow.imports import require_importer

    try:
        chosen = format_of(file, format.value if format else None)  # type: ignore[arg-type]
        async with database(Settings(), global_fallback=False):
            try:
                actor = require_importer(await actor_for_token(token.strip()))
            except InvalidToken as exc:
                errors.print(f"error: {exc}")
                raise typer.Exit(2) from exc
            outcome = await import_file(
                file, chosen, actor, console, dry_run=dry_run, all_or_nothing=all_or_nothing
            )
    except FileRefused as exc:
        errors.print(f"error: {escape(str(exc))} Nothing was imported.")
        raise typer.Exit(2) from exc
    print_report(outcome, console)
    if report is not None:
        write_refusals(outcome, report)
    if outcome.refused or outcome.stopped:
        raise typer.Exit(1)


@rebuttals_app.command("export")
@run_async
async def rebuttals_export(
    format: Annotated[ExportFormat, typer.Option(help="csv, jsonl or claimreview.")],
    output: Annotated[
        Path | None, typer.Option(dir_okay=False, help="Write here instead of to stdout.")
    ] = None,
    institution: Annotated[
        str | None, typer.Option(help="Only this institution's rebuttals (a slug).")
    ] = None,
    language: Annotated[
        Language | None, typer.Option(help="Only this language's text (km or en).")
    ] = None,
) -> None:
    """Write every public rebuttal (live revision; retracted ones with their reason), never a
    draft or an unpublished correction. ClaimReview is a schema.org DataFeed."""
    import sys

    from coordhub.io.rebuttal_export import export_rebuttals

    settings = Settings()
    # Into a file beside the output, renamed once complete: a failed export leaves no
    # truncated file that looks whole.
    partial = output.with_name(output.name + ".partial") if output is not None else None
    async with database(settings, global_fallback=False):
        with contextlib.ExitStack() as stack:
            out = sys.stdout
            if partial is not None:
                out = stack.enter_context(partial.open("w", encoding="utf-8", newline=""))
                stack.callback(partial.unlink, missing_ok=True)
            count = await export_rebuttals(
                out,
                format.value,  # type: ignore[arg-type]
                base_url=settings.public_base_url,
                institution=institution,
                language=language.value if language else None,  # type: ignore[arg-type]
            )
            if partial is not None and output is not None:
                out.close()
                partial.replace(output)
    if output is not None:
        console.print(f"Wrote {count} public rebuttals to {escape(str(output))}.")


@app.command("export-schema")
def export_schema() -> None:
    """Print the GraphQL schema (SDL); `schema.graphql` in the repository is this output."""
    from coordhub.schema import create_schema

    print(create_schema(Settings()).as_str())


def main() -> None:
    app()
