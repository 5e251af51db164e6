"""Regenerate the README's ``--format pretty`` example from a real run of ``presslens analyze`` on the seed article.

Run it from anywhere (``.venv/bin/python scripts/readme_example.py``, or ``make readme``) after a change
to the pipeline or the renderer; ``tests/test_docs.py`` fails while the README's block is stale.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import readme_blocks

ROOT = Path(__file__).resolve().parent.parent
COMMAND = ["analyze", "samples/judean-hamas-cooling-period.txt", "--format", "pretty"]
WIDTH = 100  # terminal columns the example is rendered for
SCRIPT = Path(__file__).name


def body(output: str) -> str:
    """The README block for the command's output (stdout, then stderr), trailing spaces removed."""
    lines = "".join(line.rstrip() + "\n" for line in output.splitlines())
    return f"```console\n$ .venv/bin/presslens {' '.join(COMMAND)}\n{lines}```\n"


def run() -> str:
    """stdout then stderr of the command, rendered for a terminal WIDTH columns wide."""
    env = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "PRESSLENS_DEBUG")}
    done = subprocess.run(
        [sys.executable, "-m", "presslens", *COMMAND], cwd=ROOT, capture_output=True, text=True, check=True,
        env={**env, "COLUMNS": str(WIDTH)},
    )
    return done.stdout + done.stderr


def main() -> int:
    """Rewrite the block; print whether it changed."""
    changed = readme_blocks.replace(SCRIPT, body(run()))
    sys.stdout.write(f"README.md: pretty example {'updated' if changed else 'unchanged'}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
