"""Run an external program with a hard time limit, killing its whole process group on timeout.

``subprocess.run(timeout=...)`` only kills the direct child: a TTS wrapper script whose own
child still holds stdout open would keep us waiting. Starting a new session and killing the
group avoids that.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass


class ProcessTimeout(Exception):
    """The program did not finish within the time limit (it has been killed)."""


@dataclass(frozen=True)
class ProcessResult:
    returncode: int
    stdout: bytes
    stderr: bytes

    def stderr_tail(self, limit: int = 300) -> str:
        """The end of stderr as text, for error messages."""
        return self.stderr.decode("utf-8", errors="replace").strip()[-limit:]


def run_bounded(
    argv: Sequence[str],
    timeout_s: float,
    stdin_data: bytes | None = None,
    cwd: str | None = None,
) -> ProcessResult:
    """Run ``argv`` (no shell) and collect its output; raise ProcessTimeout past ``timeout_s``.

    Raises FileNotFoundError / PermissionError when the program cannot be started.
    """
    proc = subprocess.Popen(
        list(argv),
        stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(input=stdin_data, timeout=timeout_s)
    except subprocess.TimeoutExpired as exc:
        _kill_group(proc)
        raise ProcessTimeout(f"no result after {timeout_s:g} s") from exc
    except BaseException:
        _kill_group(proc)
        raise
    return ProcessResult(proc.returncode, out, err)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    # Reap the child; the pipes are closed once the whole group is gone.
    proc.communicate()
