"""Run every bench script in bench/ (``bench_*.py``), one process each, in name order.

PYTHONPATH=src python bench/run.py
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _timing import table  # noqa: E402


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def main() -> int:
    packages = ["attrs", "cattrs", "orjson", "msgspec", "pydantic", "pydantic-core", "pyarrow"]
    print(f"machine: {os.cpu_count()} cores, {_cpu_model()}, {platform.platform()}")
    print(f"python: {platform.python_version()}")
    print("versions: " + ", ".join(f"{name} {_version(name)}" for name in packages))
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}\n")
    failed = []
    goals: list[list[str]] = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"# {script.stem}\n", flush=True)
        process = subprocess.Popen(
            [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, bufsize=1
        )
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            if line.startswith("GOAL |"):  # see _timing.goal
                goals.append([script.stem, *(part.strip() for part in line.split("|")[1:])])
        if process.wait() != 0:
            failed.append(script.name)
        print(flush=True)
    if goals:
        print("# every goal of this run\n")
        print(table(["bench", "figure", "measured", "goal", "status"], goals))
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
