"""The import contracts in pyproject.toml ([tool.importlinter]) hold, and they can fail.

docs/architecture.md explains the floors; this runs import-linter over the installed tree, then
over a copy with one upward import added, which the layers contract must refuse.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint(
    config: Path, cwd: Path, pythonpath: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(config)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_import_contract_is_kept() -> None:
    result = lint(ROOT / "pyproject.toml", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers(tmp_path: Path) -> None:
    """events/ importing web/ (two floors up) is reported, naming both modules."""
    shutil.copytree(
        ROOT / "coordhub", tmp_path / "coordhub", ignore=shutil.ignore_patterns("__pycache__")
    )
    log = tmp_path / "coordhub" / "events" / "log.py"
    log.write_text(log.read_text() + "\nfrom coordhub.web import probes  # noqa: E402, F401\n")
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in contracts["contracts"] if c["id"] == "layers")
    config = tmp_path / ".importlinter"
    config.write_text(
        "[importlinter]\nroot_package = coordhub\n\n[importlinter:contract:layers]\n"
        f"name = {layers['name']}\ntype = layers\nlayers =\n"
        + "".join(f"    {layer}\n" for layer in layers["layers"])
    )
    result = lint(config, tmp_path, pythonpath=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 broken" in result.stdout
    assert "coordhub.events.log -> coordhub.web" in result.stdout
