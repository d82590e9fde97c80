"""The ``disclosure-schema`` command (also ``python -m disclosure_schema``).

Exit codes, the same for every command:

- 0: everything asked for was done;
- 1: ``check`` found at least one finding of severity ``error``;
- 2: bad usage, an input that could not be read or holds no report, or (batch
  commands) at least one file failed — the other files are still processed;
- 130: interrupted (Ctrl-C or SIGTERM); outputs already written are complete.

Errors are reported on stderr in one line each, never as a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path, PurePath
from typing import Any, Final, Literal, TypeVar

import attrs
import click
import orjson

from disclosure_schema._files import atomic_writer, remove_stale_temporaries
from disclosure_schema.aggregate import summarize
from disclosure_schema.checks import Finding, check, check_series
from disclosure_schema.codec import from_json, json_schema, to_json
from disclosure_schema.errors import DisclosureSchemaError
from disclosure_schema.export import (
    ExportFormat,
    _encode_piece,
    _format_of,
    _open_table,
    _ordered,
    _Piece,
)
from disclosure_schema.limits import DEFAULT_LIMITS, check_size
from disclosure_schema.model import Report
from disclosure_schema.parse import parse_file
from disclosure_schema.render import render_findings, render_html, render_markdown, render_text

__all__ = ["EXIT_CHECK_ERRORS", "EXIT_FAILED", "EXIT_INTERRUPTED", "EXIT_OK", "main"]

EXIT_OK: Final = 0
EXIT_CHECK_ERRORS: Final = 1
EXIT_FAILED: Final = 2
EXIT_INTERRUPTED: Final = 130

#: Files a folder is searched for: pages to parse, and report JSON where a command reads it.
PAGE_SUFFIXES: Final = (".html", ".htm", ".shtml", ".xhtml", ".txt")
REPORT_SUFFIX: Final = ".json"
#: The errors file a batch ``parse`` writes into its output folder.
ERRORS_NAME: Final = "_errors.jsonl"

_EXIT_CODES_HELP: Final = """\b
Exit codes:
  0    everything asked for was done
  1    check: at least one finding of severity "error"
  2    bad usage, unreadable input, no report found, or some files of a batch failed
  130  interrupted (outputs already written are complete)
"""

_T = TypeVar("_T")


class InputFailure(DisclosureSchemaError):
    """One input could not be turned into a report; the message says why, in one line."""


# --- reading inputs -------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


_DIAGNOSTIC_FIELDS: Final = ("code", "severity", "message", "key", "line", "path")


def parse_page(path: Path) -> tuple[Report, list[dict[str, Any]]]:
    """The report a page file holds and the parser's diagnostics as plain records;
    :class:`InputFailure` when no report is found."""
    result = parse_file(path)
    if result.report is None:
        errors = [d.message for d in result.diagnostics if d.severity == "error"]
        reason = "; ".join(errors[:3]) if errors else "the page holds no report"
        raise InputFailure(f"no report found: {_one_line(reason)}")
    report: Report = result.report
    records = [
        {name: getattr(diagnostic, name, None) for name in _DIAGNOSTIC_FIELDS}
        for diagnostic in result.diagnostics
    ]
    return report, records


def read_input(path: Path) -> tuple[Report, list[dict[str, Any]]]:
    """A report from a file — report JSON (``.json``) or a page (parsed) — and the
    parser's diagnostics (none for JSON).

    Raises :class:`InputFailure` with a one-line reason for anything that goes wrong.
    """
    try:
        if path.suffix.lower() == REPORT_SUFFIX:
            # refuse a huge file before reading it into memory
            size = path.stat().st_size
            check_size(size, DEFAULT_LIMITS.max_json_bytes, "the JSON file", "max_json_bytes")
            return from_json(path.read_bytes()), []
        return parse_page(path)
    except InputFailure:
        raise
    except DisclosureSchemaError as error:
        raise InputFailure(_one_line(str(error))) from None
    except OSError as error:
        raise InputFailure(f"cannot read: {error.strerror or error}") from None
    except UnicodeError as error:
        raise InputFailure(f"cannot decode: {error}") from None


def load_report(path: Path) -> Report:
    """A report from a file (see :func:`read_input`), without the diagnostics."""
    return read_input(path)[0]


# --- finding inputs and naming outputs ------------------------------------------------


@attrs.frozen
class Input:
    """A file to process and the name its output gets, relative to the output folder."""

    path: Path
    name: PurePath


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _inside(path: Path, folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def collect_inputs(
    arguments: Sequence[Path], suffixes: Sequence[str], *, exclude: Path | None = None
) -> tuple[list[Input], list[Path]]:
    """The files named, and those found in the folders named (recursively, hidden files and
    ``exclude`` left out), each with a relative name; and the files in folders that were
    skipped because their extension is not in ``suffixes``.

    A file named on the command line is taken whatever its extension.
    """
    found: list[Input] = []
    skipped: list[Path] = []
    several_folders = sum(1 for argument in arguments if argument.is_dir()) > 1
    for argument in arguments:
        if not argument.is_dir():
            found.append(Input(argument, PurePath(argument.name)))
            continue
        base = PurePath(argument.resolve().name) if several_folders else PurePath()
        for path in sorted(argument.rglob("*")):
            if not path.is_file() or _is_hidden(path, argument) or _inside(path, exclude):
                continue
            if path.suffix.lower() in suffixes:
                found.append(Input(path, base / path.relative_to(argument)))
            else:
                skipped.append(path)
    return found, skipped


def safe_relative(name: PurePath) -> PurePath:
    """``name`` with every part that could leave a folder (``..``, ``.``, an anchor) removed.

    >>> safe_relative(PurePath("../../etc/passwd"))
    PurePosixPath('etc/passwd')
    """
    parts = [part for part in name.parts if part not in ("", ".", "..") and part != name.anchor]
    return PurePath(*parts) if parts else PurePath("unnamed")


def output_paths(inputs: Sequence[Input], folder: Path, suffix: str = ".json") -> list[Path]:
    """Where each input's output goes: ``folder`` / its name with ``suffix`` for the
    extension (``a.html`` → ``a.json``), mirrored subfolders included.

    Inputs whose outputs would collide (``a.html`` and ``a.txt``) keep their extension
    (``a.html.json``, ``a.txt.json``); a path never leaves ``folder``.
    """

    def plain(name: PurePath) -> PurePath:
        return name.with_suffix(suffix) if name.suffix else name.with_name(name.name + suffix)

    names = [safe_relative(item.name) for item in inputs]
    first = [plain(name) for name in names]
    counts: dict[PurePath, int] = {}
    for name in first:
        counts[name] = counts.get(name, 0) + 1
    chosen: list[PurePath] = []
    taken: set[PurePath] = set()
    for name, plain_name in zip(names, first, strict=True):
        candidate = plain_name if counts[plain_name] == 1 else name.with_name(name.name + suffix)
        number = 2
        while candidate in taken:  # the same file named twice, or the same name in two folders
            candidate = name.with_name(f"{name.name}~{number}{suffix}")
            number += 1
        taken.add(candidate)
        chosen.append(candidate)
    root = folder.resolve()
    paths = []
    for name in chosen:
        path = folder / name
        if not _inside(path, root):  # a symlinked subfolder could still point outside
            raise click.UsageError(f"output {path} would be outside {folder}")
        paths.append(path)
    return paths


def _up_to_date(source: Path, target: Path) -> bool:
    try:
        return target.stat().st_mtime >= source.stat().st_mtime
    except OSError:
        return False


# --- running a batch ------------------------------------------------------------------


@attrs.frozen
class Outcome:
    """What became of one input: ``error`` is ``None`` on success."""

    source: str
    error: str | None = None
    text: str | None = None
    diagnostics: tuple[dict[str, Any], ...] = ()


def _guard(work: Callable[[], Outcome], source: str) -> Outcome:
    try:
        return work()
    except DisclosureSchemaError as error:
        return Outcome(source, error=_one_line(str(error)))
    except OSError as error:
        return Outcome(source, error=f"cannot write: {error.strerror or error}")
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the batch
        return Outcome(source, error=f"unexpected {type(error).__name__}: {_one_line(str(error))}")


def _parse_to_file(source: str, target: str, pretty: bool) -> Outcome:
    def work() -> Outcome:
        report, diagnostics = read_input(Path(source))
        with atomic_writer(Path(target)) as stream:
            stream.write(to_json(report, pretty=pretty))
        return Outcome(source, diagnostics=tuple(diagnostics))

    return _guard(work, source)


def _load_as_json(source: str) -> Outcome:
    return _guard(
        lambda: Outcome(source, text=to_json(load_report(Path(source)), pretty=False)), source
    )


def _progress(total: int, *, quiet: bool, label: str) -> Any:
    from tqdm import tqdm  # noqa: PLC0415 - only batch commands need it

    shown = not quiet and sys.stderr.isatty()
    return tqdm(total=total, disable=not shown, file=sys.stderr, unit="file", desc=label)


def default_jobs() -> int:
    """The default ``--jobs``: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_batch(
    function: Callable[..., Outcome],
    tasks: Sequence[tuple[Any, ...]],
    *,
    jobs: int,
    quiet: bool,
    label: str,
) -> Iterator[Outcome]:
    """``function(*task)`` for every task, in task order, in ``jobs`` processes.

    ``function`` returns an :class:`Outcome` and never raises; a task's first element
    names its input. At most a few tasks per worker are in flight, so results wait in
    memory only briefly. A worker that dies (a crash, the memory killer) takes its pool
    down; the tasks that were in flight are then re-run one at a time to find the one
    that killed it, which is recorded as failed, and the batch goes on.
    """
    with _progress(len(tasks), quiet=quiet, label=label) as bar:
        if jobs <= 1 or len(tasks) <= 1:
            for task in tasks:
                yield function(*task)
                bar.update()
            return
        remaining = list(tasks)
        while remaining:
            in_flight: list[tuple[Any, ...]] = []
            finished = 0
            for outcome in _run_pool(function, remaining, jobs, in_flight):
                yield outcome
                bar.update()
                finished += 1
            if not in_flight:
                return
            for task in in_flight:
                yield _run_alone(function, task)
                bar.update()
            remaining = remaining[finished + len(in_flight) :]


def _run_pool(
    function: Callable[..., Outcome],
    tasks: Sequence[tuple[Any, ...]],
    jobs: int,
    in_flight: list[tuple[Any, ...]],
) -> Iterator[Outcome]:
    """Run tasks in order in one pool; if the pool breaks, stop and leave the tasks that
    had not yielded a result in ``in_flight`` (in order), and the caller carries on."""
    window = jobs * 4
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
        pending: deque[tuple[tuple[Any, ...], Future[Outcome]]] = deque()
        submitted = 0
        try:
            while submitted < len(tasks) or pending:
                try:
                    while submitted < len(tasks) and len(pending) < window:
                        task = tasks[submitted]
                        pending.append((task, pool.submit(function, *task)))
                        submitted += 1
                    outcome = pending[0][1].result()
                except BrokenProcessPool:
                    in_flight.extend(task for task, _ in pending)
                    return
                pending.popleft()
                yield outcome
        finally:
            for _, future in pending:
                future.cancel()


def _run_alone(function: Callable[..., Outcome], task: tuple[Any, ...]) -> Outcome:
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(function, *task).result()
        except BrokenProcessPool:
            return Outcome(str(task[0]), error="the worker process died on this file")


def _write_errors(failures: Sequence[Outcome], target: Path | None, *, stale: bool) -> None:
    if target is None:
        return
    if not failures:
        if stale:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
        return
    with atomic_writer(target, "wb") as stream:
        for outcome in failures:
            record = {"input": outcome.source, "error": outcome.error}
            stream.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))


def _warned(outcome: Outcome) -> bool:
    return any(record["severity"] in ("error", "warning") for record in outcome.diagnostics)


def _echo_diagnostics(outcome: Outcome) -> None:
    for record in outcome.diagnostics:
        if record["severity"] in ("error", "warning"):
            where = f" ({record['key']})" if record.get("key") else ""
            click.echo(f"{record['severity']}: {record['message']}{where}", err=True)


def _write_diagnostics(outcomes: Sequence[Outcome], target: Path | None) -> None:
    if target is None:
        return
    with atomic_writer(target, "wb") as stream:
        for outcome in outcomes:
            for record in outcome.diagnostics:
                line = {"input": outcome.source, **record}
                stream.write(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))


def _report_failures(failures: Sequence[Outcome]) -> None:
    for outcome in failures:
        click.echo(f"failed: {outcome.source}: {outcome.error}", err=True)


# --- the commands ---------------------------------------------------------------------


class _Interrupted(BaseException):
    """SIGTERM, raised where the process is, so open outputs are cleaned up."""


def _terminate(signum: int, frame: object) -> None:
    raise _Interrupted


class Failure(click.ClickException):
    """A one-line error on stderr and exit code 2."""

    exit_code = EXIT_FAILED


def _guarded(command: Callable[..., _T]) -> Callable[..., _T]:
    """Turn any error into one line on stderr and exit code 2; an interruption into 130.

    Set ``DISCLOSURE_SCHEMA_DEBUG=1`` to see the traceback of an unexpected error.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> _T:
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except (KeyboardInterrupt, _Interrupted):
            click.echo("interrupted; outputs already written are complete", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except (DisclosureSchemaError, UnicodeError) as error:
            raise Failure(_one_line(str(error))) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            raise Failure(f"{where}{error.strerror or error}") from None
        except Exception as error:
            if os.environ.get("DISCLOSURE_SCHEMA_DEBUG"):
                raise
            raise Failure(f"unexpected {type(error).__name__}: {_one_line(str(error))}") from None

    return wrapper


class _Group(click.Group):
    def main(self, *args: Any, **kwargs: Any) -> Any:
        previous = signal.signal(signal.SIGTERM, _terminate)
        try:
            return super().main(*args, **kwargs)
        finally:
            signal.signal(signal.SIGTERM, previous)


_jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes [default: the number of cores].",
)
_quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="No progress bar (it is shown only on a terminal anyway)."
)
_language_option = click.option(
    "--language", type=click.Choice(["zh", "en"]), default="zh", show_default=True
)


@click.group(
    cls=_Group, epilog=_EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="disclosure-schema")
def main() -> None:
    """Government information disclosure annual reports (政府信息公开工作年度报告) as data.

    Parse report pages into JSON, check their totals, render them, export tables for
    analysis and sum reports. Run COMMAND --help for each command.
    """


@main.command(epilog=_EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="A file for one input file; a folder for folders or several files.",
)
@_jobs_option
@click.option("--force", is_flag=True, help="Rewrite outputs that are newer than their input.")
@click.option(
    "--errors",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Where to list the failed files (JSON lines) [default: OUTPUT/{ERRORS_NAME}].",
)
@click.option(
    "--diagnostics",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write every parser diagnostic of this run to FILE (JSON lines).",
)
@click.option("--compact", is_flag=True, help="Write compact JSON instead of indented.")
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Parse on a Dask scheduler (tcp://host:8786; workers must see the files; [dask] extra).",
)
@_quiet_option
@_guarded
def parse(
    inputs: tuple[Path, ...],
    output: Path,
    jobs: int | None,
    force: bool,
    errors: Path | None,
    diagnostics: Path | None,
    compact: bool,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """Parse report pages (HTML or text) into report JSON.

    INPUTS are files or folders; folders are searched recursively for .html, .htm,
    .shtml, .xhtml and .txt files. One input file and an OUTPUT that is not a folder:
    OUTPUT is the JSON file. Otherwise OUTPUT is a folder with one JSON per input, named
    after it (a/b.html → OUTPUT/a/b.json). Outputs newer than their input are skipped
    (see --force). A file that fails is named in the summary and in the errors file;
    the others go on.
    """
    pretty = not compact
    if len(inputs) == 1 and inputs[0].is_file() and not output.is_dir():
        source = inputs[0]
        if not force and _up_to_date(source, output):
            click.echo(f"up to date: {output}", err=True)
            return
        outcome = _parse_to_file(str(source), str(output), pretty)
        _write_diagnostics([outcome], diagnostics)
        if outcome.error:
            raise Failure(f"{source}: {outcome.error}")
        _echo_diagnostics(outcome)
        return
    found, skipped = collect_inputs(inputs, PAGE_SUFFIXES, exclude=output)
    targets = output_paths(found, output)
    output.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(output)
    tasks = [
        (str(item.path), str(target), pretty)
        for item, target in zip(found, targets, strict=True)
        if force or not _up_to_date(item.path, target)
    ]
    if scheduler is not None:
        from disclosure_schema.dask import run_on  # noqa: PLC0415 - optional extra

        outcomes = list(run_on(scheduler, _parse_to_file, tasks))
    else:
        outcomes = list(
            run_batch(
                _parse_to_file, tasks, jobs=jobs or default_jobs(), quiet=quiet, label="parse"
            )
        )
    failures = [outcome for outcome in outcomes if outcome.error]
    _write_errors(failures, errors or output / ERRORS_NAME, stale=errors is None)
    _write_diagnostics(outcomes, diagnostics)
    _report_failures(failures)
    done = len(tasks) - len(failures)
    noted = sum(1 for outcome in outcomes if _warned(outcome))
    parts = [
        f"{done} parsed" + (f" ({noted} with warnings)" if noted else ""),
        f"{len(failures)} failed",
    ]
    if len(found) > len(tasks):
        parts.append(f"{len(found) - len(tasks)} up to date")
    if skipped:
        parts.append(f"{len(skipped)} not pages (ignored)")
    click.echo(", ".join(parts), err=True)
    if failures:
        click.echo(f"failures listed in {errors or output / ERRORS_NAME}", err=True)
        sys.exit(EXIT_FAILED)


def _report_files(inputs: Sequence[Path]) -> list[Path]:
    found, _ = collect_inputs(inputs, (REPORT_SUFFIX, *PAGE_SUFFIXES))
    return [item.path for item in found]


def _load_all(paths: Iterable[Path]) -> tuple[list[tuple[Path, Report]], list[Outcome]]:
    loaded: list[tuple[Path, Report]] = []
    failures: list[Outcome] = []
    for path in paths:
        try:
            loaded.append((path, load_report(path)))
        except InputFailure as error:
            failures.append(Outcome(str(path), error=str(error)))
    return loaded, failures


def _finding_record(finding: Finding) -> dict[str, Any]:
    record: dict[str, Any] = attrs.asdict(finding, recurse=False)
    for name in ("expected", "actual", "difference"):
        value = record.get(name)
        if value is not None and not isinstance(value, int):
            record[name] = format(value, "f")
    record["cells"] = list(record.get("cells", ()))
    return record


@main.command("check", epilog=_EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "html", "json"]),
    default="text",
    show_default=True,
)
@_language_option
@click.option(
    "--series",
    is_flag=True,
    help="Also run the cross-year rules over the files as one series per issuer.",
)
@_guarded
def check_command(
    inputs: tuple[Path, ...],
    output_format: Literal["text", "markdown", "html", "json"],
    language: Literal["zh", "en"],
    series: bool,
) -> None:
    """Check reports (JSON or pages; files or folders) against the template's consistency
    rules.

    Exits with 1 when a finding of severity "error" exists, 2 when a file could not be
    read.
    """
    loaded, failures = _load_all(_report_files(inputs))
    results = [(path, check(report)) for path, report in loaded]
    if series and loaded:
        results.append((Path("(series)"), list(check_series([report for _, report in loaded]))))
    if output_format == "json":
        document = [
            {"input": str(path), "findings": [_finding_record(f) for f in findings]}
            for path, findings in results
        ]
        click.echo(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode())
    else:
        for path, findings in results:
            click.echo(f"== {path}")
            click.echo(render_findings(findings, format=output_format, language=language))
    _report_failures(failures)
    if failures:
        sys.exit(EXIT_FAILED)
    if any(f.severity == "error" for _, findings in results for f in findings):
        sys.exit(EXIT_CHECK_ERRORS)


_RENDERERS: Final = {"markdown": render_markdown, "text": render_text, "html": render_html}


def _write_or_echo(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    with atomic_writer(output) as stream:
        stream.write(text)


@main.command(epilog=_EXIT_CODES_HELP)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "text", "html"]),
    default="markdown",
    show_default=True,
)
@_language_option
@click.option("--findings", "with_findings", is_flag=True, help="Mark cells that checks flag.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="[default: stdout]"
)
@_guarded
def render(
    file: Path,
    output_format: str,
    language: Literal["zh", "en"],
    with_findings: bool,
    output: Path | None,
) -> None:
    """Render a report (JSON or a page) as Markdown, plain text or HTML."""
    report = load_report(file)
    renderer = _RENDERERS[output_format]
    findings = check(report) if with_findings else None
    text = renderer(report, language=language, findings=findings)
    _write_or_echo(text, output)


@main.command(epilog=_EXIT_CODES_HELP)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="[default: stdout]"
)
@_guarded
def schema(output: Path | None) -> None:
    """Print the JSON Schema (draft 2020-12) of the report JSON."""
    text = orjson.dumps(json_schema(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    _write_or_echo(text.decode(), output)


#: Export workers start from a fresh server process, not a fork of this one: the writer
#: here runs pyarrow's threads, and a fork taken while one holds a lock can deadlock.
_EXPORT_CONTEXT: Final = multiprocessing.get_context("forkserver")
#: Reports per export task: large enough that a worker's piece is one efficient batch,
#: small enough that a few pieces in flight per worker keep memory flat.
_EXPORT_CHUNK: Final = 64


def _export_chunk(paths: tuple[str, ...], wide: bool, fmt: ExportFormat, excel: bool) -> _Piece:
    """Load a chunk of inputs and encode their rows as one piece of the table (in a worker:
    each report is decoded once, where it is encoded)."""
    pairs: list[tuple[Report, str | None]] = []
    failures: list[tuple[str, str]] = []
    for path in paths:
        try:
            pairs.append((load_report(Path(path)), path))
        except InputFailure as error:
            failures.append((path, str(error)))
        except Exception as error:  # noqa: BLE001 - one bad file must not stop the batch
            failures.append((path, f"unexpected {type(error).__name__}: {_one_line(str(error))}"))
    return _encode_piece(pairs, wide=wide, fmt=fmt, excel=excel, failures=failures)


@contextlib.contextmanager
def _submitter(jobs: int, scheduler: str | None) -> Iterator[tuple[Callable[..., Any], int]]:
    """Where export tasks run: a Dask scheduler, a process pool, or this process."""
    if scheduler is not None:
        from disclosure_schema.dask import connect  # noqa: PLC0415 - optional extra

        with connect(scheduler) as client:
            workers = max(1, len(client.scheduler_info().get("workers", {})))
            yield functools.partial(client.submit, pure=False), 2 * workers
        return
    if jobs <= 1:
        yield _run_here, 1
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_EXPORT_CONTEXT) as pool:
        yield pool.submit, 2 * jobs


def _export_pieces(
    chunks: Sequence[tuple[tuple[str, ...], bool, ExportFormat, bool]],
    jobs: int,
    scheduler: str | None,
) -> Iterator[_Piece]:
    """The pieces of the table in chunk order. A worker that dies (a crash, the memory
    killer) takes its pool down: the chunk it was on is re-run one file per process to
    find the file that killed it, which is recorded as failed, and the export goes on."""
    start = 0
    while start < len(chunks):
        try:
            # one chunk is not worth starting workers for
            workers = jobs if len(chunks) - start > 1 else 1
            with _submitter(workers, scheduler) as (submit, window):
                for piece in _ordered(submit, _export_chunk, chunks[start:], window=window):
                    yield piece
                    start += 1
            return
        except BrokenProcessPool:
            paths, wide, fmt, excel = chunks[start]
            for path in paths:
                yield _export_alone(path, wide, fmt, excel)
            start += 1


def _export_alone(path: str, wide: bool, fmt: ExportFormat, excel: bool) -> _Piece:
    with ProcessPoolExecutor(max_workers=1, mp_context=_EXPORT_CONTEXT) as pool:
        try:
            return pool.submit(_export_chunk, (path,), wide, fmt, excel).result()
        except BrokenProcessPool:
            return _Piece(None, 0, ((path, "the worker process died on this file"),), 1)


@attrs.frozen
class _Done:
    value: Any

    def result(self) -> Any:
        return self.value

    def cancel(self) -> bool:
        return False


def _run_here(function: Callable[..., Any], *args: Any) -> _Done:
    return _Done(function(*args))


@main.command(epilog=_EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The table: .csv, .jsonl or .parquet.",
)
@click.option("--wide", is_flag=True, help="One row per report, one column per cell key.")
@click.option("--excel", is_flag=True, help="CSV only: add a byte-order mark for Excel.")
@_jobs_option
@click.option(
    "--errors",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to list the failed files (JSON lines) [default: OUTPUT.errors.jsonl].",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Run on a Dask scheduler (e.g. tcp://host:8786; needs the [dask] extra).",
)
@_quiet_option
@_guarded
def export(
    inputs: tuple[Path, ...],
    output: Path,
    wide: bool,
    excel: bool,
    jobs: int | None,
    errors: Path | None,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """Export reports (JSON or pages; files or folders) as one table.

    The tidy table (default) has one row per cell: source, report_id, issuer, year,
    template, key, section, row_label, column_label, value, amount, unit, as_written.
    --wide writes one row per report instead. Folders are searched recursively for .json
    and page files. The work is split into chunks of reports run in --jobs processes
    (or on a Dask scheduler); one writer appends their pieces in input order.
    """
    fmt = _format_of(output, None)
    found, skipped = collect_inputs(inputs, (REPORT_SUFFIX, *PAGE_SUFFIXES), exclude=None)
    paths = [str(item.path) for item in found]
    chunks = [
        (tuple(paths[start : start + _EXPORT_CHUNK]), wide, fmt, excel)
        for start in range(0, len(paths), _EXPORT_CHUNK)
    ]
    failures: list[Outcome] = []
    rows = 0
    with (
        _progress(len(paths), quiet=quiet, label="export") as bar,
        _open_table(output, fmt, wide=wide, excel=excel) as writer,
    ):
        for piece in _export_pieces(chunks, jobs or default_jobs(), scheduler):
            if piece.payload is not None:
                writer.write(piece.payload)
            rows += piece.rows
            failures += [Outcome(source, error=reason) for source, reason in piece.failures]
            bar.update(piece.inputs)
    errors_file = errors or output.with_name(output.name + ".errors.jsonl")
    _write_errors(failures, errors_file, stale=errors is None)
    _report_failures(failures)
    parts = [f"{len(found) - len(failures)} reports", f"{len(failures)} failed", f"{rows} rows"]
    if skipped:
        parts.append(f"{len(skipped)} other files (ignored)")
    click.echo(", ".join(parts) + f" → {output}", err=True)
    if failures:
        click.echo(f"failures listed in {errors_file}", err=True)
        sys.exit(EXIT_FAILED)


@main.command(epilog=_EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The summed report (JSON).",
)
@click.option("--issuer", help="The body the sum stands for, e.g. the county.")
@_guarded
def summary(inputs: tuple[Path, ...], output: Path, issuer: str | None) -> None:
    """Sum reports of one template (JSON or pages; files or folders) cell by cell into one
    report (JSON).

    A cell of the sum is empty only when it is empty in every input; otherwise it is
    the sum of the non-empty values. The inputs and this rule are recorded in the
    summed report's overview. Nothing is written when any input fails.
    """
    loaded, failures = _load_all(_report_files(inputs))
    if failures:
        _report_failures(failures)
        count = len(loaded) + len(failures)
        raise Failure(f"{len(failures)} of {count} inputs failed; nothing summed")
    result = summarize(
        [report for _, report in loaded], issuer=issuer, names=[str(path) for path, _ in loaded]
    )
    with atomic_writer(output) as stream:
        stream.write(to_json(result.report))
    click.echo(
        f"summed {len(loaded)} reports (template {result.report.template}) → {output};"
        f" {len(result.partial_cells)} cells where some inputs were empty",
        err=True,
    )
