"""The ``disclosure-schema`` command (also ``python -m disclosure_schema``).

Exit codes, the same for every command (each cause has its own bit, so ``check`` can
say both "findings" and "unreadable files" at once):

- 0: everything asked for was done;
- 1: ``check`` found at least one finding of severity ``error``;
- 2: bad usage, an input that could not be read or holds no report, an output that may
  not be written, or (batch commands) at least one file failed — the other files are
  still processed;
- 3: ``check`` only: both 1 and 2;
- 130: interrupted (Ctrl-C or SIGTERM); outputs already written are complete;
- 141: the output pipe was closed (e.g. ``| head``); nothing more is printed.

Errors are reported on stderr, never as a traceback: one line each, except that the
problems of an invalid report JSON are listed one per line under it. File names are
shown with control characters escaped (a newline in a name cannot split a message).

Output rules (every command that writes files): ``-o`` names a folder when it ends in
``/``, is an existing folder, or there are several inputs (or a folder of inputs); a
command whose output is one file (export, schema, summary, form; --errors, --diagnostics,
--series) refuses such an ``-o``; the output folder may not be an input folder; only
regular files are ever replaced (a symbolic link, FIFO or device is refused); an output
is "up to date" only when the
manifest in its folder records that it holds what we wrote from the input's current
content (a SHA-256 of both, not modification times); an input that now fails has its
stale output removed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import multiprocessing
import os
import re
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

from disclosure_schema._files import (
    atomic_writer,
    check_output_target,
    remove_stale_temporaries,
    sync_folders,
)
from disclosure_schema._manifest import Manifest, file_hash
from disclosure_schema.aggregate import summarize
from disclosure_schema.checks import (
    DEFAULT_FAMILIES,
    Finding,
    RuleSelectionError,
    check,
    check_compliance,
    check_series,
    preamble_of_page,
    rule_family,
    select_rules,
)
from disclosure_schema.codec import from_json, json_schema, to_json
from disclosure_schema.errors import DisclosureSchemaError, ReportFormatError
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
from disclosure_schema.parse import parse_bytes, parse_file
from disclosure_schema.render import (
    empty_workbook,
    render_docx,
    render_findings,
    render_html,
    render_markdown,
    render_text,
    render_xlsx,
)
from disclosure_schema.template import default_template, template_tags

__all__ = [
    "EXIT_BOTH",
    "EXIT_CHECK_ERRORS",
    "EXIT_CLOSED_PIPE",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "main",
]

EXIT_OK: Final = 0
EXIT_CHECK_ERRORS: Final = 1
EXIT_FAILED: Final = 2
EXIT_BOTH: Final = EXIT_CHECK_ERRORS | EXIT_FAILED
EXIT_INTERRUPTED: Final = 130
EXIT_CLOSED_PIPE: Final = 141

#: Files a folder is searched for: pages to parse (the same extensions whether a file is
#: named or found in a folder), and report JSON where a command reads it.
PAGE_SUFFIXES: Final = (
    ".html", ".htm", ".shtml", ".xhtml", ".txt", ".text", ".md",
    ".pdf", ".docx", ".doc", ".wps", ".xlsx",
)  # fmt: skip
REPORT_SUFFIX: Final = ".json"
#: The errors file a batch ``parse`` writes into its output folder.
ERRORS_NAME: Final = "_errors.jsonl"
#: The name standard input goes by in messages.
STDIN_NAME: Final = "<stdin>"

_EXIT_CODES_HELP: Final = """\b
Exit codes:
  0    everything asked for was done
  1    check: at least one finding of severity "error"
  2    bad usage, unreadable input, no report found, an output that may not be
       written, or some files of a batch failed
  3    check: both 1 and 2
  130  interrupted (outputs already written are complete)
  141  the output pipe was closed
"""

_T = TypeVar("_T")


class InputFailure(DisclosureSchemaError):
    """One input could not be turned into a report; the message says why (one line, or
    a head line and one line per problem of an invalid report JSON)."""


# --- names and messages ---------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def shown(name: str | os.PathLike[str]) -> str:
    """A file name as it may be printed: control characters escaped (``\\n``, ``\\x1b``)
    and bytes that are not UTF-8 as ``\\xNN``, so a name is always one printable line.

    >>> shown("a\\nb.html")
    'a\\\\nb.html'
    """
    text = os.fspath(name)
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """``1 report``, ``2 reports``.

    >>> plural(1, "report"), plural(2, "file"), plural(0, "entry", "entries")
    ('1 report', '2 files', '0 entries')
    """
    return f"{count} {noun if count == 1 else (plural_noun or noun + 's')}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


_DIAGNOSTIC_FIELDS: Final = ("code", "severity", "message", "key", "line", "path")

# Magic numbers of the binary files people most often hand us by mistake.
_MAGIC: Final = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP: a Word/Excel document or an archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Word/Excel document"),
    (b"\x1f\x8b", "gzip"),
    (b"\x7fELF", "ELF program"),
    (b"RIFF", "RIFF media"),
    (b"\x00\x00\x01\x00", "icon"),
)
_SNIFF_BYTES: Final = 8192


def sniff(data: bytes) -> str | None:
    """Why ``data`` (a file's first bytes) cannot be a page, or ``None`` if it may be one.

    >>> sniff(b""), sniff(b"\\x89PNG\\r\\n\\x1a\\n..."), sniff("年度报告".encode())
    ('empty file', 'binary file (PNG)', None)
    """
    if not data.strip():
        return "empty file" if not data else "empty file (only white space)"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if kind == "PDF":
                return "PDF: needs the [pdf] extra (pip install 'disclosure-schema[pdf]')"
            return f"binary file ({kind})"
    head = data[:_SNIFF_BYTES]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in head and not utf16:
        return "binary file"
    return None


def _first_bytes(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(_SNIFF_BYTES)
    except OSError:
        return None


_GENERIC_PREFIX: Final = "no report found: "


def _failure_reason(path: Path, errors: Sequence[tuple[str, str]]) -> str:
    """One cause for a page that gave no report: the parser's own specific reason (e.g.
    too large), else what the file is (empty, binary), else "not a report page"."""
    specific = [message for code, message in errors if code != "no_report"]
    if specific:
        return _one_line(specific[0])
    head = _first_bytes(path) if path.name != STDIN_NAME else None
    cause = sniff(head) if head is not None else None
    if cause is not None:
        return cause
    detail = next((message for _, message in errors), "")
    while detail.startswith(_GENERIC_PREFIX):
        detail = detail[len(_GENERIC_PREFIX) :]
    return "not a report page" + (f" ({_one_line(detail)})" if detail else "")


def _records(result: Any) -> list[dict[str, Any]]:
    return [
        {name: getattr(diagnostic, name, None) for name in _DIAGNOSTIC_FIELDS}
        for diagnostic in result.diagnostics
    ]


def parse_page(path: Path) -> tuple[Report, list[dict[str, Any]]]:
    """The report a page file holds and the parser's diagnostics as plain records;
    :class:`InputFailure` with one cause when no report is found."""
    result = parse_file(path)
    if result.report is None:
        errors = [(d.code, d.message) for d in result.diagnostics if d.severity == "error"]
        raise InputFailure(_failure_reason(path, errors))
    report: Report = result.report
    return report, _records(result)


def _report_format_reason(error: ReportFormatError) -> str:
    problems = [_one_line(str(problem)) for problem in error.problems]
    head = f"not a valid report ({plural(len(problems), 'problem')})"
    if len(problems) == 1:
        return f"{head}: {problems[0]}"
    return "\n".join([head + ":", *(f"  {problem}" for problem in problems)])


def _read_json(path: Path) -> Report:
    # refuse a huge file before reading it into memory
    size = path.stat().st_size
    check_size(size, DEFAULT_LIMITS.max_json_bytes, "the JSON file", "max_json_bytes")
    data = path.read_bytes()
    if not data.strip():
        raise InputFailure("empty file")
    return from_json(data)


def read_input(path: Path) -> tuple[Report, list[dict[str, Any]]]:
    """A report from a file — report JSON (``.json``) or a page (parsed) — and the
    parser's diagnostics (none for JSON).

    Raises :class:`InputFailure` with a reason for anything that goes wrong.
    """
    try:
        if path.suffix.lower() == REPORT_SUFFIX:
            return _read_json(path), []
        return parse_page(path)
    except InputFailure:
        raise
    except ReportFormatError as error:
        raise InputFailure(_report_format_reason(error)) from None
    except DisclosureSchemaError as error:
        raise InputFailure(_one_line(str(error))) from None
    except IsADirectoryError:
        raise InputFailure("is a folder") from None
    except OSError as error:
        raise InputFailure(f"cannot read: {error.strerror or error}") from None
    except UnicodeError as error:
        raise InputFailure(f"cannot decode: {error}") from None


def read_stdin() -> tuple[Report, list[dict[str, Any]]]:
    """A report from standard input: report JSON if it starts with ``{``, else a page."""
    data = sys.stdin.buffer.read(DEFAULT_LIMITS.max_page_bytes + 1)
    try:
        if data.lstrip()[:1] == b"{":
            return from_json(data), []
        result = parse_bytes(data)
    except ReportFormatError as error:
        raise InputFailure(_report_format_reason(error)) from None
    except DisclosureSchemaError as error:
        raise InputFailure(_one_line(str(error))) from None
    if result.report is None:
        cause = sniff(data[:_SNIFF_BYTES])
        if cause is None:
            errors = [(d.code, d.message) for d in result.diagnostics if d.severity == "error"]
            cause = _failure_reason(Path(STDIN_NAME), errors)
        raise InputFailure(cause)
    report: Report = result.report
    return report, _records(result)


def load_report(path: Path) -> Report:
    """A report from a file (see :func:`read_input`), or from stdin for ``-``."""
    if str(path) == "-":
        return read_stdin()[0]
    return read_input(path)[0]


def _load_named(path: Path) -> Report:
    """:func:`load_report` for a command's single input: a failure names the file."""
    try:
        return load_report(path)
    except InputFailure as error:
        raise Failure(f"{shown(_display(path))}: {error}") from None


# --- finding inputs and naming outputs ------------------------------------------------


@attrs.frozen
class Input:
    """A file to process and the name its output gets, relative to the output folder."""

    path: Path
    name: PurePath


def _is_hidden(path: Path, root: Path) -> bool:
    # "~$report.docx": the owner file Word keeps beside a document that is open
    return any(part.startswith((".", "~$")) for part in path.relative_to(root).parts)


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

    A file named on the command line is taken whatever its extension (its content then
    says what it is).
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
            raise click.UsageError(f"output {shown(path)} would be outside {shown(folder)}")
        paths.append(path)
    return paths


def wants_folder(output: str, inputs: Sequence[Path]) -> bool:
    """Whether ``-o OUTPUT`` names a folder: it ends in ``/``, is a folder, or there are
    several inputs or a folder of inputs."""
    return (
        output.endswith(("/", os.sep))
        or Path(output).is_dir()
        or len(inputs) > 1
        or any(path.is_dir() for path in inputs)
    )


def one_file(example: str) -> Callable[[click.Context, click.Parameter, str | None], Path | None]:
    """The callback of an option whose output is one file: a name that ends in ``/`` or
    an existing folder is refused (one line, exit 2) before anything is done.
    (``click.Path(path_type=Path)`` strips the trailing slash, so ``-o out/`` would
    otherwise write a *file* called ``out``.) ``example`` is the file name suggested."""

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
        if value is None:
            return None
        ends_in_slash = value.endswith(("/", os.sep))
        if ends_in_slash or Path(value).is_dir():
            option = min(param.opts, key=len) if param.opts else "-o"
            why = "names a folder (it ends in /)" if ends_in_slash else "is a folder"
            one = f"{ctx.info_name} writes" if option == "-o" else f"{option} names"
            folder = value.rstrip("/" + os.sep) or value
            raise Failure(
                f"{option} {shown(value)} {why}, but {one} one file"
                f" (e.g. {option} {shown(folder)}/{example})"
            )
        return Path(value)

    return check


def check_output_folder(folder: Path, inputs: Sequence[Path]) -> None:
    """Refuse (exit 2) an output folder that is an input folder or not a folder."""
    if folder.exists() and not folder.is_dir():
        raise Failure(f"{shown(folder)}: not a folder (several outputs go into a folder)")
    resolved = folder.resolve()
    for path in inputs:
        if path.is_dir() and path.resolve() == resolved:
            raise Failure(
                f"{shown(folder)} is an input folder; write the outputs to another folder"
                " (e.g. -o out/)"
            )


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:
        return False


def check_not_inputs(targets: Sequence[Path], inputs: Sequence[Path]) -> None:
    """Refuse (exit 2) to write an output over one of the inputs."""
    existing = {str(target): target for target in targets if target.exists()}
    for path in inputs:
        for target in existing.values():
            if _same_file(path, target):
                raise Failure(f"{shown(target)} is an input; it would be overwritten")


# --- running a batch ------------------------------------------------------------------


@attrs.frozen
class Outcome:
    """What became of one input: ``error`` is ``None`` on success.

    ``source_hash``/``output_hash``: SHA-256 of the input read and of the output written
    (for the manifest); ``None`` when not known.
    """

    source: str
    error: str | None = None
    text: str | None = None
    diagnostics: tuple[dict[str, Any], ...] = ()
    source_hash: str | None = None
    output_hash: str | None = None


def _guard(work: Callable[[], Outcome], source: str) -> Outcome:
    try:
        return work()
    except DisclosureSchemaError as error:
        return Outcome(
            source, error=str(error) if isinstance(error, InputFailure) else _one_line(str(error))
        )
    except OSError as error:
        return Outcome(source, error=f"cannot write: {error.strerror or error}")
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the batch
        return Outcome(source, error=f"unexpected {type(error).__name__}: {_one_line(str(error))}")


def _parse_to_file(source: str, target: str, pretty: bool) -> Outcome:
    def work() -> Outcome:
        # hash before parsing: if the file changes meanwhile, the next run sees new content
        source_hash = file_hash(Path(source))
        report, diagnostics = read_input(Path(source))
        data = to_json(report, pretty=pretty).encode("utf-8")
        with atomic_writer(Path(target), "wb", durable=False) as stream:
            stream.write(data)
        return Outcome(
            source,
            diagnostics=tuple(diagnostics),
            source_hash=source_hash,
            output_hash=hashlib.sha256(data).hexdigest(),
        )

    return _guard(work, source)


def _load_as_json(source: str) -> Outcome:
    return _guard(
        lambda: Outcome(source, text=to_json(load_report(Path(source)), pretty=False)), source
    )


def _progress(total: int, *, quiet: bool, label: str) -> Any:
    from tqdm import tqdm  # noqa: PLC0415 - only batch commands need it

    shown_bar = not quiet and sys.stderr.isatty()
    return tqdm(total=total, disable=not shown_bar, file=sys.stderr, unit="file", desc=label)


def default_jobs() -> int:
    """The default ``--jobs``: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_PR_SET_PDEATHSIG: Final = 1


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _die_with_parent(parent: int) -> None:
    """Worker initializer: the worker dies when the CLI process dies, even by ``kill -9``.

    On Linux, when the CLI is the worker's parent (the ``fork`` and ``spawn`` start
    methods), the kernel kills the worker (``PR_SET_PDEATHSIG``); otherwise (a fork
    server, another system) a thread in the worker checks twice a second that the CLI
    process is still there.
    """
    if os.getppid() == parent and sys.platform.startswith("linux"):
        try:
            import ctypes  # noqa: PLC0415
            import ctypes.util  # noqa: PLC0415

            libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError, TypeError):
            armed = False
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)
        if armed:
            return
    import threading  # noqa: PLC0415
    import time  # noqa: PLC0415

    first_parent = os.getppid()

    def watch() -> None:
        while _process_alive(parent) and os.getppid() == first_parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _run_chunk(function: Callable[..., Outcome], chunk: Sequence[tuple[Any, ...]]) -> list[Outcome]:
    return [function(*task) for task in chunk]


def _chunk_size(count: int, jobs: int) -> int:
    # a few chunks per worker keeps the load even; at most 32 tasks keeps a crash cheap
    return max(1, min(32, count // (jobs * 4)))


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
    names its input. Tasks go to the workers in chunks (fewer round trips), and at most
    a few chunks per worker are in flight, so results wait in memory only briefly.
    Workers die with this process (even on ``kill -9``). A worker that dies (a crash,
    the memory killer) takes its pool down; the tasks that were in flight are then
    re-run one at a time to find the one that killed it, which is recorded as failed,
    and the batch goes on.
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


def _pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=jobs, initializer=_die_with_parent, initargs=(os.getpid(),)
    )


def _run_pool(
    function: Callable[..., Outcome],
    tasks: Sequence[tuple[Any, ...]],
    jobs: int,
    in_flight: list[tuple[Any, ...]],
) -> Iterator[Outcome]:
    """Run tasks in order in one pool; if the pool breaks, stop and leave the tasks that
    had not yielded a result in ``in_flight`` (in order), and the caller carries on."""
    size = _chunk_size(len(tasks), jobs)
    chunks = [tasks[start : start + size] for start in range(0, len(tasks), size)]
    window = jobs * 2
    with _pool(min(jobs, len(chunks))) as pool:
        pending: deque[tuple[Sequence[tuple[Any, ...]], Future[list[Outcome]]]] = deque()
        submitted = 0
        try:
            while submitted < len(chunks) or pending:
                try:
                    while submitted < len(chunks) and len(pending) < window:
                        chunk = chunks[submitted]
                        pending.append((chunk, pool.submit(_run_chunk, function, chunk)))
                        submitted += 1
                    outcomes = pending[0][1].result()
                except BrokenProcessPool:
                    in_flight.extend(task for chunk, _ in pending for task in chunk)
                    return
                pending.popleft()
                yield from outcomes
        finally:
            for _, future in pending:
                future.cancel()


def _run_alone(function: Callable[..., Outcome], task: tuple[Any, ...]) -> Outcome:
    with _pool(1) as pool:
        try:
            return pool.submit(function, *task).result()
        except BrokenProcessPool:
            return Outcome(str(task[0]), error="the worker process died on this file")


def _write_errors(failures: Sequence[Outcome], target: Path | None, *, stale: bool) -> bool:
    """Write the failures list; ``False`` (and a note on stderr) when it cannot be written
    — the failures were printed already, so none is lost."""
    if target is None:
        return True
    try:
        if not failures:
            if stale:
                with contextlib.suppress(FileNotFoundError):
                    check_output_target(target)
                    target.unlink()
            return True
        with atomic_writer(target, "wb") as stream:
            for outcome in failures:
                record = {"input": outcome.source, "error": outcome.error}
                stream.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
    except (OSError, DisclosureSchemaError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        click.echo(
            f"cannot write the failures list {shown(target)}: {reason}; the failures are"
            " listed above",
            err=True,
        )
        return False
    return True


def _warned(outcome: Outcome) -> bool:
    return any(record["severity"] in ("error", "warning") for record in outcome.diagnostics)


def _echo_diagnostics(outcome: Outcome) -> None:
    for record in outcome.diagnostics:
        if record["severity"] in ("error", "warning"):
            where = f" ({record['key']})" if record.get("key") else ""
            click.echo(f"{record['severity']}: {_one_line(record['message'])}{where}", err=True)


def _write_diagnostics(outcomes: Sequence[Outcome], target: Path | None) -> None:
    if target is None:
        return
    with atomic_writer(target, "wb") as stream:
        for outcome in outcomes:
            for record in outcome.diagnostics:
                line = {"input": outcome.source, **record}
                stream.write(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))


def _failure_lines(source: str, error: str | None) -> str:
    return f"failed: {shown(source)}: {error}"


def _report_failures(failures: Iterable[Outcome]) -> None:
    for outcome in failures:
        click.echo(_failure_lines(outcome.source, outcome.error), err=True)


def _report_ignored(skipped: Sequence[Path], *, verbose: bool, what: str) -> None:
    if verbose:
        for path in skipped:
            click.echo(f"ignored ({what}): {shown(path)}", err=True)


def _is_report_json(path: Path) -> bool:
    try:
        if path.stat().st_size > DEFAULT_LIMITS.max_json_bytes:
            return False
        from_json(path.read_bytes())
    except (OSError, DisclosureSchemaError, ValueError):
        return False
    return True


def _remove_stale(target: Path, manifest: Manifest, inputs: Sequence[Path]) -> bool:
    """Remove the output an input that now fails had from an earlier run, when it is ours
    (recorded in the manifest, or report JSON) and a regular file; whether it was."""
    try:
        check_output_target(target)
    except DisclosureSchemaError:
        return False
    if not target.exists() or any(_same_file(path, target) for path in inputs):
        return False
    if manifest.recorded(target) or _is_report_json(target):
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        return True
    return False


# --- the commands ---------------------------------------------------------------------


class _Interrupted(BaseException):
    """SIGTERM, raised where the process is, so open outputs are cleaned up."""


def _terminate(signum: int, frame: object) -> None:
    raise _Interrupted


class Failure(click.ClickException):
    """A one-line error on stderr and exit code 2."""

    exit_code = EXIT_FAILED


def _closed_pipe() -> None:
    """Stop quietly after the reader of our output went away (``| head``)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_CLOSED_PIPE)


def _guarded(command: Callable[..., _T]) -> Callable[..., _T]:
    """Turn any error into one line on stderr and exit code 2; an interruption into 130;
    a closed output pipe into a quiet exit 141.

    Set ``DISCLOSURE_SCHEMA_DEBUG=1`` to see the traceback of an unexpected error.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> _T:
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            _closed_pipe()
            raise  # not reached
        except (KeyboardInterrupt, _Interrupted):
            click.echo("interrupted; outputs already written are complete", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except InputFailure as error:
            raise Failure(str(error)) from None
        except (DisclosureSchemaError, UnicodeError) as error:
            raise Failure(_one_line(str(error))) from None
        except OSError as error:
            where = f"{shown(error.filename)}: " if error.filename else ""
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
_verbose_option = click.option(
    "-v", "--verbose", is_flag=True, help="Name every file that was ignored in a folder."
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


def _parse_one(
    source: Path, output: Path, *, force: bool, pretty: bool, diagnostics: Path | None
) -> None:
    check_output_target(output)
    if output.exists() and _same_file(source, output):
        raise Failure(f"{shown(output)} is the input; it would be overwritten")
    manifest = Manifest(output.parent if str(output.parent) else Path())
    if not force and manifest.up_to_date(source, output):
        click.echo(f"up to date: {shown(output)}", err=True)
        return
    outcome = _parse_to_file(str(source), str(output), pretty)
    _write_diagnostics([outcome], diagnostics)
    if outcome.error:
        removed = _remove_stale(output, manifest, [source])
        manifest.save({}, {output})
        note = f" (its earlier output {shown(output)} was removed)" if removed else ""
        raise Failure(f"{shown(source)}: {outcome.error}{note}")
    if outcome.source_hash and outcome.output_hash:
        sync_folders([output.parent if str(output.parent) else Path()])
        manifest.save({output: (outcome.source_hash, outcome.output_hash)}, set())
    _echo_diagnostics(outcome)


def _parse_outcomes(
    tasks: Sequence[tuple[str, str, bool]], *, jobs: int | None, quiet: bool, scheduler: str | None
) -> Iterator[Outcome]:
    """The outcomes of parse tasks: on a Dask scheduler, or in local processes."""
    if scheduler is not None:
        from disclosure_schema.dask import run_on  # noqa: PLC0415 - optional extra

        return iter(run_on(scheduler, _parse_to_file, tasks))
    return iter(
        run_batch(_parse_to_file, tasks, jobs=jobs or default_jobs(), quiet=quiet, label="parse")
    )


@main.command(epilog=_EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    help="A file for one input file; a folder when it ends in /, is a folder, or there are"
    " several inputs or a folder of inputs.",
)
@_jobs_option
@click.option("--force", is_flag=True, help="Rewrite outputs that are up to date.")
@click.option(
    "--errors",
    type=click.Path(),
    callback=one_file("errors.jsonl"),
    default=None,
    help=f"Where to list the failed files (JSON lines) [default: OUTPUT/{ERRORS_NAME}].",
)
@click.option(
    "--diagnostics",
    type=click.Path(),
    callback=one_file("diagnostics.jsonl"),
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
@_verbose_option
@_guarded
def parse(
    inputs: tuple[Path, ...],
    output: str,
    jobs: int | None,
    force: bool,
    errors: Path | None,
    diagnostics: Path | None,
    compact: bool,
    scheduler: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Parse report pages (HTML, text, PDF, Word) or Excel forms (.xlsx) into report JSON.

    INPUTS are files or folders; folders are searched recursively for .html, .htm,
    .shtml, .xhtml, .txt, .text, .md, .pdf, .docx, .doc, .wps and .xlsx files (.doc/.wps
    need LibreOffice). One input file and an OUTPUT that is not a folder: OUTPUT is the
    JSON file. Otherwise OUTPUT is a folder (not an input folder) with one JSON per
    input, named after it (a/b.html → OUTPUT/a/b.json). An output is skipped when it is
    up to date: it holds what this command wrote from the input's current content
    (recorded in OUTPUT/.disclosure-schema.manifest; see --force). A file that fails is
    named in the summary and in the errors file, and its output from an earlier run is
    removed; the others go on.
    """
    pretty = not compact
    target = Path(output)
    if not wants_folder(output, inputs):
        _parse_one(inputs[0], target, force=force, pretty=pretty, diagnostics=diagnostics)
        return
    check_output_folder(target, inputs)
    found, skipped = collect_inputs(inputs, PAGE_SUFFIXES, exclude=target)
    _report_ignored(skipped, verbose=verbose, what="not a page")
    if not found:
        ignored = f" ({plural(len(skipped), 'other file')} ignored)" if skipped else ""
        raise Failure(f"no pages found in {', '.join(map(shown, inputs))}{ignored}")
    targets = output_paths(found, target)
    check_not_inputs(targets, [item.path for item in found])
    target.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    manifest = Manifest(target)
    tasks = [
        (str(item.path), str(path), pretty)
        for item, path in zip(found, targets, strict=True)
        if force or not manifest.up_to_date(item.path, path)
    ]
    by_source = {task[0]: Path(task[1]) for task in tasks}
    outcomes: list[Outcome] = []
    written: dict[Path, tuple[str, str]] = {}
    try:
        for outcome in _parse_outcomes(tasks, jobs=jobs, quiet=quiet, scheduler=scheduler):
            outcomes.append(outcome)
            if not outcome.error and outcome.source_hash and outcome.output_hash:
                written[by_source[outcome.source]] = (outcome.source_hash, outcome.output_hash)
    finally:
        # what was written before an interruption is recorded too, so a re-run skips it
        # an input that now fails loses the output an earlier run made from it
        inputs_found = [item.path for item in found]
        removed = {by_source[outcome.source] for outcome in outcomes if outcome.error}
        for path in removed:
            _remove_stale(path, manifest, inputs_found)
        if written:
            sync_folders(path.parent for path in written)
        manifest.save(written, removed)
    failures = [outcome for outcome in outcomes if outcome.error]
    _write_diagnostics(outcomes, diagnostics)
    _report_failures(failures)
    errors_file = errors or target / ERRORS_NAME
    listed = _write_errors(failures, errors_file, stale=errors is None)
    done = len(tasks) - len(failures)
    noted = sum(1 for outcome in outcomes if _warned(outcome))
    parts = [
        f"{done} parsed" + (f" ({noted} with warnings)" if noted else ""),
        f"{len(failures)} failed",
    ]
    if len(found) > len(tasks):
        parts.append(f"{len(found) - len(tasks)} up to date")
    if skipped:
        hint = "" if verbose else "; -v names them"
        parts.append(f"{plural(len(skipped), 'other file')} ignored{hint}")
    click.echo(", ".join(parts), err=True)
    if failures:
        if listed:
            click.echo(f"failures listed in {shown(errors_file)}", err=True)
        sys.exit(EXIT_FAILED)


def _report_files(
    inputs: Sequence[Path], *, verbose: bool = False
) -> tuple[list[Path], list[Path]]:
    """The report files to read (``-`` for stdin kept as is) and the files ignored."""
    named = [path for path in inputs if str(path) != "-"]
    found, skipped = collect_inputs(named, (REPORT_SUFFIX, *PAGE_SUFFIXES))
    _report_ignored(skipped, verbose=verbose, what="not a report or page")
    paths = [item.path for item in found]
    if any(str(path) == "-" for path in inputs):
        paths.insert([str(path) for path in inputs].index("-"), Path("-"))
    return paths, skipped


def _load_each(paths: Iterable[Path]) -> Iterator[tuple[Path, Report | None, str | None]]:
    """Each path with its report, or with the reason it could not be read."""
    for path in paths:
        try:
            yield path, load_report(path), None
        except InputFailure as error:
            yield path, None, str(error)


def _load_all(paths: Iterable[Path]) -> tuple[list[tuple[Path, Report]], list[Outcome]]:
    loaded: list[tuple[Path, Report]] = []
    failures: list[Outcome] = []
    for path, report, error in _load_each(paths):
        if report is None:
            failures.append(Outcome(_display(path), error=error))
        else:
            loaded.append((path, report))
    return loaded, failures


def _display(path: Path) -> str:
    return STDIN_NAME if str(path) == "-" else str(path)


def _finding_record(finding: Finding) -> dict[str, Any]:
    record: dict[str, Any] = attrs.asdict(finding, recurse=False)
    for name in ("expected", "actual", "difference"):
        value = record.get(name)
        if value is not None and not isinstance(value, int):
            record[name] = format(value, "f")
    record["cells"] = list(record.get("cells", ()))
    return record


def _family_counts(
    findings: Sequence[Finding], families: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Per rule family, the number of findings of each severity."""
    counts = {family: {"error": 0, "warning": 0, "not_assessable": 0} for family in families}
    for finding in findings:
        counts.setdefault(
            rule_family(finding.rule), {"error": 0, "warning": 0, "not_assessable": 0}
        )[finding.severity] += 1
    return counts


def _checked(path: Path, report: Report, selected: Sequence[str]) -> list[Finding]:
    """The selected rules on one report; the compliance rules also read a page's preamble
    (its statistics period), which the report itself does not keep."""
    compliance = [rule_id for rule_id in selected if rule_family(rule_id) == "C"]
    found = check(report, rules=[rule_id for rule_id in selected if rule_id not in compliance])
    if compliance:
        preamble = None if str(path) == "-" else preamble_of_page(path)
        found += check_compliance(report, rules=compliance, preamble=preamble)
    return found


def _selected_rules(selection: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The rule ids a ``--rules`` value selects, and their families in order."""
    try:
        selected = select_rules(selection)
    except RuleSelectionError as error:
        raise click.BadParameter(str(error), param_hint="--rules") from None
    return selected, tuple(dict.fromkeys(rule_family(rule_id) for rule_id in selected))


def _family_line(counts: dict[str, dict[str, int]]) -> str:
    return "-- " + "; ".join(
        f"{family}: " + ", ".join(f"{n} {severity}" for severity, n in by.items())
        for family, by in counts.items()
    )


#: Severities from the most to the least severe.
SEVERITIES: Final = ("error", "warning", "not_assessable")


def _finding_filter(min_severity: str, only: str | None) -> Callable[[Finding], bool]:
    allowed = set(SEVERITIES[: SEVERITIES.index(min_severity) + 1])
    wanted = {item.strip() for item in (only or "").split(",") if item.strip()}
    severities = wanted & set(SEVERITIES)
    rules = wanted - set(SEVERITIES)

    def keep(finding: Finding) -> bool:
        if finding.severity not in allowed:
            return False
        if not wanted:
            return True
        return finding.severity in severities or finding.rule in rules

    return keep


def _series_files(
    reports: Sequence[tuple[Path, Report]],
) -> Callable[[Finding], list[str]]:
    """The files a cross-year finding is about, from its subject ``issuer A→B``."""
    by_key: dict[tuple[str, str], list[str]] = {}
    for path, report in reports:
        issuer = report.meta.issuer or ""
        year = "?" if report.meta.year is None else str(report.meta.year)
        by_key.setdefault((issuer, year), []).append(_display(path))

    def files(finding: Finding) -> list[str]:
        subject = finding.subject or ""
        issuer, _, years = subject.rpartition(" ")
        named: list[str] = []
        for year in years.split("→"):
            named.extend(by_key.get((issuer, year), []))
        return named

    return files


class _Tally:
    def __init__(self) -> None:
        self.reports = 0
        self.unreadable = 0
        self.by_severity = dict.fromkeys(SEVERITIES, 0)
        self.hidden = 0

    def line(self) -> str:
        counts = ", ".join(
            [
                plural(self.by_severity["error"], "error"),
                plural(self.by_severity["warning"], "warning"),
                f"{self.by_severity['not_assessable']} not assessable",
            ]
        )
        total = sum(self.by_severity.values())
        hidden = f"; {self.hidden} not shown" if self.hidden else ""
        return (
            f"checked {plural(self.reports, 'report')}: {plural(total, 'finding')}"
            f" ({counts}{hidden}); {plural(self.unreadable, 'unreadable file')}"
        )


@main.command("check", epilog=_EXIT_CODES_HELP)
@click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True, path_type=Path)
)
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
    help="Also run the cross-year rules over the files as one series per issuer"
    " (the reports are then held in memory).",
)
@click.option(
    "--min-severity",
    type=click.Choice(list(SEVERITIES)),
    default="not_assessable",
    show_default=True,
    help="Show findings of this severity or a more severe one.",
)
@click.option(
    "--only",
    metavar="LIST",
    help="Show only these severities or rules, comma-separated (e.g. error,R2).",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Print no findings, only the closing summary line."
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also list the files without findings, and name the files ignored in folders.",
)
@click.option(
    "--rules",
    "rule_selection",
    default=",".join(DEFAULT_FAMILIES),
    show_default=True,
    help="Rule families or ids, comma-separated: R (arithmetic), H (heuristics),"
    " C (compliance), or ids such as C3.",
)
@_guarded
def check_command(  # noqa: PLR0915 - one streaming pass: load, check, emit, tally
    inputs: tuple[Path, ...],
    output_format: Literal["text", "markdown", "html", "json"],
    language: Literal["zh", "en"],
    series: bool,
    min_severity: str,
    only: str | None,
    quiet: bool,
    verbose: bool,
    rule_selection: str,
) -> None:
    """Check reports (JSON or pages; files or folders; - for stdin) against the template's
    consistency rules.

    Findings go to stdout, one block per file with findings (-v: every file; JSON: one
    array with every file, written as it goes);
    unreadable files are named on stderr (and in the JSON with their "error"); a closing
    summary line on stderr counts reports, findings by severity and unreadable files.
    --min-severity, --only and --quiet choose what is shown, not the exit code: 1 when
    any finding of severity "error" exists, 2 when a file could not be read, 3 both.
    """
    selected, families = _selected_rules(rule_selection)
    paths, _ = _report_files(inputs, verbose=verbose)
    keep = _finding_filter(min_severity, only)
    tally = _Tally()
    any_error = False
    kept: list[tuple[Path, Report]] = []
    first = True

    def emit(
        source: str,
        findings: Sequence[Finding],
        files: Callable[[Finding], list[str]] | None = None,
    ) -> None:
        nonlocal first, any_error
        any_error = any_error or any(f.severity == "error" for f in findings)
        for finding in findings:
            tally.by_severity[finding.severity] += 1
        shown_findings = [f for f in findings if keep(f)]
        tally.hidden += len(findings) - len(shown_findings)
        if quiet:
            return
        if output_format == "json":
            records = [_finding_record(f) for f in shown_findings]
            if files is not None:  # cross-year findings name the files they compare
                for item, finding in zip(records, shown_findings, strict=True):
                    item["files"] = files(finding)
            record: dict[str, Any] = {
                "input": source,
                "findings": records,
                "families": _family_counts(findings, families),
            }
            sys.stdout.write(("[\n" if first else ",\n") + orjson.dumps(record).decode())
        elif shown_findings or verbose:  # a clean file takes no room; the summary counts it
            click.echo(f"== {shown(source)}")
            click.echo(render_findings(shown_findings, format=output_format, language=language))
            click.echo(_family_line(_family_counts(findings, families)))
        first = False

    for path, report, error in _load_each(paths):
        if report is None:
            tally.unreadable += 1
            click.echo(_failure_lines(_display(path), error), err=True)
            if output_format == "json" and not quiet:
                sys.stdout.write(
                    ("[\n" if first else ",\n")
                    + orjson.dumps(
                        {"input": _display(path), "error": error, "findings": []}
                    ).decode()
                )
                first = False
            continue
        tally.reports += 1
        emit(_display(path), _checked(path, report, selected))
        if series:
            kept.append((path, report))
    if series and kept:
        files = _series_files(kept)
        in_series = check_series([report for _, report in kept])
        findings = [finding for finding in in_series if finding.rule in selected]
        if output_format == "json":
            emit("(series)", findings, files)
        else:
            named = [
                attrs.evolve(f, subject=f"{f.subject} [{', '.join(map(shown, files(f)))}]")
                for f in findings
            ]
            emit("(series)", named)
    if output_format == "json" and not quiet:
        sys.stdout.write("[]\n" if first else "\n]\n")
    sys.stdout.flush()
    click.echo(tally.line(), err=True)
    code = (EXIT_CHECK_ERRORS if any_error else 0) | (EXIT_FAILED if tally.unreadable else 0)
    if code:
        sys.exit(code)


_RENDERERS: Final = {"markdown": render_markdown, "text": render_text, "html": render_html}
#: Formats written as bytes (never to a terminal).
_BINARY_FORMATS: Final = ("docx", "xlsx")
_RENDER_SUFFIXES: Final = {
    "markdown": ".md",
    "text": ".txt",
    "html": ".html",
    "docx": ".docx",
    "xlsx": ".xlsx",
}


def _write_or_echo(content: str | bytes, output: Path | None) -> None:
    if isinstance(content, bytes):
        if output is None:
            raise Failure("a binary format needs -o FILE")
        with atomic_writer(output, "wb") as binary:
            binary.write(content)
        return
    if output is None:
        click.echo(content, nl=not content.endswith("\n"))
        return
    with atomic_writer(output) as stream:
        stream.write(content)


def _render_one(
    report: Report,
    output_format: str,
    language: Literal["zh", "en"],
    with_findings: bool,
    full_page: bool,
) -> str | bytes:
    if output_format == "xlsx":
        return render_xlsx(report)
    findings = check(report) if with_findings else None
    if output_format == "docx":
        return render_docx(report, language=language, findings=findings)
    if output_format == "html":
        return render_html(report, language=language, findings=findings, full_page=full_page)
    renderer = _RENDERERS[output_format]
    return renderer(report, language=language, findings=findings)


@main.command(epilog=_EXIT_CODES_HELP)
@click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True, path_type=Path)
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "text", "html", "docx", "xlsx"]),
    default="markdown",
    show_default=True,
    help="docx: a Word document, xlsx: an Excel workbook, both in the official layout"
    " (need -o FILE).",
)
@_language_option
@click.option(
    "--findings",
    "with_findings",
    is_flag=True,
    help="List the check findings at the end and mark the cells flagged by an error or a"
    " warning (HTML: a coloured cell with the rules as a tooltip; Markdown and text: ⚠).",
)
@click.option(
    "--full-page",
    is_flag=True,
    help="HTML only: a whole UTF-8 page with print-ready CSS (A4) instead of a fragment.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="A file; a folder when it ends in /, is a folder, or there are several inputs or a"
    " folder of inputs [default: stdout].",
)
@_verbose_option
@_guarded
def render(
    inputs: tuple[Path, ...],
    output_format: str,
    language: Literal["zh", "en"],
    with_findings: bool,
    full_page: bool,
    output: str | None,
    verbose: bool,
) -> None:
    """Render reports (JSON or pages; files or folders; - for stdin) as Markdown, plain
    text, HTML, Word (docx) or an Excel workbook (xlsx: the official layout with a
    checks sheet).

    Several inputs or a folder need -o DIR: each input gets DIR/NAME.md, .txt, .html,
    .docx or .xlsx. Binary formats (docx, xlsx) are never written to a terminal: they need -o.
    """
    if output_format in _BINARY_FORMATS and output is None:
        several_inputs = len(inputs) > 1 or any(path.is_dir() for path in inputs)
        if several_inputs:
            raise Failure(f"--format {output_format} writes binary files: give -o FOLDER/")
        raise Failure(
            f"--format {output_format} writes a binary file: give -o FILE.{output_format}"
        )
    if full_page and output_format != "html":
        raise click.UsageError("--full-page needs --format html")
    several = len(inputs) > 1 or any(path.is_dir() for path in inputs)
    if output is None or not wants_folder(output, inputs):
        if several:
            raise click.UsageError("several inputs need -o FOLDER")
        target = None if output is None else Path(output)
        if target is not None:
            suffix = _RENDER_SUFFIXES[output_format]
            if output_format in _BINARY_FORMATS and target.suffix.lower() != suffix:
                # a Word file named .md (or an Excel file named .docx) opens as garbage
                raise click.UsageError(
                    f"--format {output_format} writes a {suffix} file: -o must end in {suffix},"
                    f" not {shown(target)}"
                )
            check_output_target(target)
        report = _load_named(inputs[0])
        _write_or_echo(
            _render_one(report, output_format, language, with_findings, full_page), target
        )
        return
    folder = Path(output)
    check_output_folder(folder, inputs)
    paths, skipped = _report_files(inputs, verbose=verbose)
    found = [Input(path, PurePath(path.name)) for path in paths]
    if any(path.is_dir() for path in inputs) and len(inputs) == 1:
        found = [Input(path, path.relative_to(inputs[0])) for path in paths]
    targets = output_paths(found, folder, _RENDER_SUFFIXES[output_format])
    check_not_inputs(targets, paths)
    failures: list[Outcome] = []
    for item, target in zip(found, targets, strict=True):
        try:
            content = _render_one(
                load_report(item.path), output_format, language, with_findings, full_page
            )
            _write_or_echo(content, target)
        except InputFailure as error:
            failures.append(Outcome(str(item.path), error=str(error)))
        except DisclosureSchemaError as error:
            failures.append(Outcome(str(item.path), error=_one_line(str(error))))
    _report_failures(failures)
    parts = [f"{len(found) - len(failures)} rendered", f"{len(failures)} failed"]
    if skipped:
        parts.append(f"{plural(len(skipped), 'other file')} ignored")
    click.echo(", ".join(parts) + f" → {shown(folder)}", err=True)
    if failures:
        sys.exit(EXIT_FAILED)


@main.command(epilog=_EXIT_CODES_HELP)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    callback=one_file("report.schema.json"),
    help="[default: stdout]",
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
    type=click.Path(),
    callback=one_file("reports.parquet"),
    help="The table: .csv, .jsonl or .parquet.",
)
@click.option("--wide", is_flag=True, help="One row per report, one column per cell key.")
@click.option("--excel", is_flag=True, help="CSV only: add a byte-order mark for Excel.")
@_jobs_option
@click.option(
    "--errors",
    type=click.Path(),
    callback=one_file("errors.jsonl"),
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
@_verbose_option
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
    verbose: bool,
) -> None:
    """Export reports (JSON or pages; files or folders) as one table.

    The tidy table (default) has one row per cell: source, report_id, issuer, year,
    template, key, section, row_label, column_label, value, amount, unit, as_written.
    --wide writes one row per report instead. Folders are searched recursively for .json
    and page files. The work is split into chunks of reports run in --jobs processes
    (or on a Dask scheduler); one writer appends their pieces in input order.
    """
    check_output_target(output)
    found, skipped = collect_inputs(inputs, (REPORT_SUFFIX, *PAGE_SUFFIXES), exclude=None)
    _report_ignored(skipped, verbose=verbose, what="not a report or page")
    check_not_inputs([output], [item.path for item in found])
    fmt = _format_of(output, None)
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
    _report_failures(failures)
    listed = _write_errors(failures, errors_file, stale=errors is None)
    parts = [
        plural(len(found) - len(failures), "report"),
        f"{len(failures)} failed",
        plural(rows, "row"),
    ]
    if skipped:
        parts.append(f"{plural(len(skipped), 'other file')} ignored")
    click.echo(", ".join(parts) + f" → {shown(output)}", err=True)
    if failures:
        if listed:
            click.echo(f"failures listed in {shown(errors_file)}", err=True)
        sys.exit(EXIT_FAILED)


_SUMMARY_FORMATS: Final = {".json": "json", ".md": "markdown", ".txt": "text", ".html": "html"}


def _summary_problems(loaded: Sequence[tuple[Path, Report]]) -> tuple[list[str], list[str]]:
    """Mixed years, and inputs that are the same report twice (same issuer and year, or
    equal content)."""
    stated = {report.meta.year for _, report in loaded}
    years = [str(year) for year in sorted(year for year in stated if year is not None)]
    if None in stated:
        years.append("a report without a year")
    mixed = [f"the inputs are of different years ({', '.join(years)})"] if len(years) > 1 else []
    seen: dict[Any, str] = {}
    duplicates: list[str] = []
    for path, report in loaded:
        keys: list[Any] = [("content", to_json(report, pretty=False))]
        if report.meta.issuer and report.meta.year is not None:
            keys.append(("issuer", report.meta.issuer, report.meta.year))
        for key in keys:
            if key in seen:
                duplicates.append(f"{shown(path)} repeats {shown(seen[key])}")
                break
        for key in keys:
            seen.setdefault(key, str(path))
    return mixed, duplicates


@main.command(epilog=_EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    callback=one_file("summary.json"),
    help="The summed report: .json (report JSON), or .md, .txt or .html (rendered).",
)
@click.option("--issuer", help="The body the sum stands for, e.g. the county.")
@click.option(
    "--allow-mixed-years", is_flag=True, help="Sum reports of different years (a warning)."
)
@click.option(
    "--allow-duplicates",
    is_flag=True,
    help="Sum a report twice (same issuer and year, or same content) (a warning).",
)
@_guarded
def summary(
    inputs: tuple[Path, ...],
    output: Path,
    issuer: str | None,
    allow_mixed_years: bool,
    allow_duplicates: bool,
) -> None:
    """Sum reports of one template (JSON or pages; files or folders) cell by cell into one
    report.

    A cell of the sum is empty only when it is empty in every input; otherwise it is
    the sum of the non-empty values. The inputs and this rule are recorded in the
    summed report's overview. Nothing is written when any input fails, when the inputs
    are of different years (unless --allow-mixed-years) or when one report is given
    twice (unless --allow-duplicates). OUTPUT's extension names the format.
    """
    output_format = _SUMMARY_FORMATS.get(output.suffix.lower())
    if output_format is None:
        known = ", ".join(_SUMMARY_FORMATS)
        raise Failure(f"{shown(output)}: unknown format {output.suffix!r} (use {known})")
    check_output_target(output)
    paths, _ = _report_files(inputs)
    loaded, failures = _load_all(paths)
    if failures:
        _report_failures(failures)
        count = len(loaded) + len(failures)
        raise Failure(f"{len(failures)} of {plural(count, 'input')} failed; nothing summed")
    check_not_inputs([output], paths)
    result = summarize(
        [report for _, report in loaded], issuer=issuer, names=[str(path) for path, _ in loaded]
    )
    mixed, duplicates = _summary_problems(loaded)
    for problems, allowed, flag in (
        (mixed, allow_mixed_years, "--allow-mixed-years"),
        (duplicates, allow_duplicates, "--allow-duplicates"),
    ):
        for problem in problems:
            click.echo(f"{'warning' if allowed else 'refused'}: {problem}", err=True)
        if problems and not allowed:
            raise Failure(f"nothing summed ({flag} to sum anyway)")
    content: str | bytes
    if output_format == "json":
        content = to_json(result.report)
    else:
        content = _render_one(result.report, output_format, "zh", False, output_format == "html")
    _write_or_echo(content, output)
    click.echo(
        f"summed {plural(len(loaded), 'report')} (template {result.report.template})"
        f" → {shown(output)}; {plural(len(result.partial_cells), 'cell')} where some inputs"
        " were empty",
        err=True,
    )


@main.command(epilog=_EXIT_CODES_HELP)
@click.option(
    "--template",
    type=click.Choice(list(template_tags(official=True))),
    help="The template of the form [default: the one reports on --year use (the year after"
    " --previous), else the newest].",
)
@click.option("--issuer", help="The body that publishes the report (written on the cover).")
@click.option("--year", type=click.IntRange(min=1900), help="The year the report is on.")
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Last year's report (JSON, page or form): adds the cross-year checks (R4 …)"
    " and, unless given, takes the issuer from it and the year after it.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    callback=one_file("form.xlsx"),
    help="The blank form (.xlsx).",
)
@_guarded
def form(
    template: str | None, issuer: str | None, year: int | None, previous: Path | None, output: Path
) -> None:
    """Write a blank Excel form of a template for an office to fill in.

    One sheet per table in the official layout, prose sheets for sections 一, 五, 六 and a
    checks sheet (核对) whose formulas check the totals while the form is filled. Read
    the filled form back with ``disclosure-schema parse FORM.xlsx -o report.json``.
    """
    if output.suffix.lower() != ".xlsx":
        # parse reads a filled form by its extension: another one would not be read back
        raise click.UsageError(
            f"the form is an Excel workbook: -o must end in .xlsx, not {shown(output)}"
        )
    check_output_target(output)
    last_year = None if previous is None else _load_named(previous)
    if last_year is not None:
        issuer = issuer if issuer is not None else last_year.meta.issuer
        if year is None and last_year.meta.year is not None:
            year = last_year.meta.year + 1
    template = template or default_template(year)
    data = empty_workbook(template, issuer=issuer, year=year, previous=last_year)
    with atomic_writer(output, "wb") as stream:
        stream.write(data)
    click.echo(f"blank {template} form → {shown(output)}", err=True)


# --- compare: year over year ----------------------------------------------------------

_COMPARE_SUFFIXES: Final = {"json": ".json", "markdown": ".md", "text": ".txt", "html": ".html"}


@main.command("compare", epilog=_EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "markdown", "text", "html"]),
    default="markdown",
    show_default=True,
)
@_language_option
@click.option("--changed-only", is_flag=True, help="List only the cells that changed.")
@click.option(
    "-o",
    "--output",
    "output_name",
    type=click.Path(),
    help="A file for two reports (a folder when it ends in / or is one); a folder (one file"
    " per pair) for folders [default: stdout].",
)
@click.option(
    "--series",
    "series_file",
    type=click.Path(),
    callback=one_file("series.csv"),
    help="Also write each body's series table (one row per cell per year) to a .csv or"
    " .parquet file.",
)
@click.option(
    "--schema", "print_schema", is_flag=True, help="Print the JSON Schema of the JSON form."
)
@_guarded
def compare_command(  # noqa: PLR0915 - one command: two files, or folders paired
    inputs: tuple[Path, ...],
    output_format: Literal["json", "markdown", "text", "html"],
    language: Literal["zh", "en"],
    changed_only: bool,
    output_name: str | None,
    series_file: Path | None,
    print_schema: bool,
) -> None:
    """Compare reports year over year: two report files (the earlier first), or folders
    (and more files) whose reports are paired by body and consecutive year.

    Cells are compared through the template crosswalk; findings (carry-over R4 and the
    other cross-year rules, notable changes) come first, then cells and prose. With a
    folder, JSON is one list of comparisons; with -o the folder gets one file per pair,
    named after the two inputs. Reports that are in no pair are named on stderr.
    """
    # imported here so this command stays one block of cli.py
    from disclosure_schema._compare import (  # noqa: PLC0415
        Comparison,
        compare,
        comparison_json_schema,
        comparison_to_json,
        pair_by_body,
    )
    from disclosure_schema.render._comparison import render_comparison  # noqa: PLC0415

    output = None if output_name is None else Path(output_name)
    into_folder = output_name is not None and wants_folder(output_name, ())
    if print_schema:
        if into_folder:
            raise Failure(
                f"-o {shown(output_name or '')} is a folder, but the schema writes one file"
            )
        text = orjson.dumps(
            comparison_json_schema(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
        )
        _write_or_echo(text.decode(), output)
        return

    def document(comparisons: Comparison | list[Comparison]) -> str:
        if output_format == "json":
            return comparison_to_json(comparisons)
        assert isinstance(comparisons, Comparison)
        return render_comparison(
            comparisons, output_format, language=language, changed_only=changed_only
        )

    if len(inputs) == 2 and not any(path.is_dir() for path in inputs):
        before, after = (_compare_load(path) for path in inputs)
        if output is not None and into_folder:  # the pair's file in that folder
            name = f"{inputs[0].stem}__{inputs[1].stem}{_COMPARE_SUFFIXES[output_format]}"
            output = output / name
        _write_or_echo(document(compare(before, after)), output)
        if series_file is not None:
            failed = _compare_series_file([before, after], series_file)
            if failed:
                raise Failure(f"{failed[0].source}: {failed[0].error}")
        return
    if len(inputs) < 2 and not any(path.is_dir() for path in inputs):
        raise click.UsageError("give two report files (the earlier first), or folders")
    loaded, failures = _load_all(_report_files(inputs)[0])
    pairing = pair_by_body([report for _, report in loaded])
    for unpaired in pairing.unpaired:
        # pair_by_body names an identical copy by its index ("report [3]"): name the file
        reason = re.sub(
            r"\breport \[(\d+)\]",
            lambda found: shown(loaded[int(found.group(1))][0]),
            unpaired.reason,
        )
        click.echo(f"not paired: {shown(loaded[unpaired.index][0])}: {reason}", err=True)
    comparisons = [
        (
            loaded[pair.before_index][0],
            loaded[pair.after_index][0],
            compare(pair.before, pair.after),
        )
        for pair in pairing.pairs
    ]
    if output is None:
        if output_format == "json":
            _write_or_echo(document([comparison for _, _, comparison in comparisons]), None)
        elif output_format == "html" and len(comparisons) > 1:
            raise click.UsageError("several HTML pages need -o FOLDER (one page per pair)")
        else:
            for _, _, comparison in comparisons:
                _write_or_echo(document(comparison), None)
    else:
        if output.exists() and not output.is_dir():
            raise click.UsageError(f"-o {output}: with a folder of reports, -o names a folder")
        suffix = _COMPARE_SUFFIXES[output_format]
        taken: set[str] = set()
        for before_path, after_path, comparison in comparisons:
            name = f"{before_path.stem}__{after_path.stem}"
            number = 2
            while name in taken:
                name = f"{before_path.stem}__{after_path.stem}~{number}"
                number += 1
            taken.add(name)
            with atomic_writer(output / safe_relative(PurePath(name + suffix))) as stream:
                stream.write(document(comparison))
    if series_file is not None:
        failures += _compare_series_file([report for _, report in loaded], series_file)
    click.echo(
        f"{plural(len(comparisons), 'pair')} compared,"
        f" {plural(len(pairing.unpaired), 'report')} not paired, {len(failures)} failed",
        err=True,
    )
    _report_failures(failures)
    if failures:
        sys.exit(EXIT_FAILED)


def _compare_load(path: Path) -> Report:
    try:
        return load_report(path)
    except InputFailure as error:
        raise Failure(f"{path}: {error}") from None


def _compare_series_file(reports: list[Report], path: Path) -> list[Outcome]:
    """Write each body's series table to ``path``; a body whose reports cannot form a
    series (two different reports for one year) is left out and returned as a failure.
    Reports without a year are left out (they are named as not paired)."""
    from disclosure_schema._compare import (  # noqa: PLC0415
        ComparisonError,
        SeriesRow,
        compare_series,
        normalize_issuer,
        write_series,
    )

    bodies: dict[str | None, list[Report]] = {}
    for report in reports:
        if report.meta.year is not None:
            bodies.setdefault(normalize_issuer(report.meta.issuer), []).append(report)
    rows: list[SeriesRow] = []
    failures: list[Outcome] = []
    for body, group in bodies.items():
        if body is None and len(bodies) > 1:
            continue  # reports without issuer cannot be told apart from the other bodies
        try:
            rows.extend(compare_series(group))
        except ComparisonError as error:
            failures.append(Outcome(f"series of {body or '(no issuer)'}", error=str(error)))
    count = write_series(rows, path)
    click.echo(f"{count} series rows → {path}", err=True)
    return failures
