"""Benchmark: each function's archive, its size and its cold-start import time.

Run: `.venv/bin/python tests/bench/archives.py [--archives DIR] [--runs N]`. Builds every
archive (`odoo-engines package`) unless `--archives` names a folder of built ones (to
measure another checkout's), unpacks each, and imports its main.py N times in a fresh
process of a clean virtualenv holding only its requirements.txt, as Cloud Functions
does. Prints per function: compressed size, files, Python modules, and the median time
to import main.py (what a cold start pays before the first request).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the clean venvs

from deploy.venvs import CleanVenvs, unpack
from odoo_engines_tools.packaging import build_all, list_manifests

VENVS = Path(".data/bench-venvs").resolve()
TIMED_IMPORT = """
import importlib, sys, time
sys.path.insert(0, sys.argv[1])
start = time.perf_counter()
importlib.import_module("main")
print(time.perf_counter() - start)
"""


def import_seconds(python: Path, source: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        result = subprocess.run(  # noqa: S603 (fixed command)
            [str(python), "-I", "-c", TIMED_IMPORT, str(source)],
            cwd=source,
            env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        times.append(float(result.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archives", type=Path, help="built archives to measure")
    parser.add_argument("--runs", type=int, default=5, help="imports per function")
    args = parser.parse_args()
    venvs = CleanVenvs(VENVS)
    with tempfile.TemporaryDirectory() as tmp:
        built = args.archives or Path(tmp) / "build"
        if args.archives is None:
            build_all(built)
        print(f"{'function':<16} {'KiB':>6} {'files':>6} {'modules':>8} {'import ms':>10}")
        sizes, imports = [], []
        for manifest in list_manifests():
            archive = built / f"{manifest.name}.zip"
            names = zipfile.ZipFile(archive).namelist()
            source = unpack(archive, Path(tmp) / manifest.name)
            python = venvs.python((manifest.folder / "requirements.txt").read_text())
            seconds = import_seconds(python, source, args.runs)
            kib = archive.stat().st_size / 1024
            modules = sum(name.endswith(".py") for name in names)
            sizes.append(kib)
            imports.append(seconds)
            print(f"{manifest.name:<16} {kib:>6.0f} {len(names):>6} {modules:>8} "
                  f"{seconds * 1000:>10.0f}")  # fmt: skip
        summary = {"mean_kib": round(statistics.mean(sizes)),
                   "median_import_ms": round(statistics.median(imports) * 1000)}  # fmt: skip
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
