"""A cold run's parser workers end with the run: when the main process is killed (SIGTERM from
CI, a pre-commit timeout, or SIGKILL), no worker is left behind parsing for nobody. Each worker
ends when its pipe to the main process reports end of file, even though a worker forked later
holds a copy of an earlier worker's main end (that one ends first, closing its copy)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import List

import pytest

from conftest import write_tree

FUNCTION = "def f{i}(a, b):\n    if a:\n        return [x * b for x in range(a)]\n    return {{'a': a, 'b': b}}\n\n\n"


def children_of(pid: int) -> List[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_workers_end_when_the_main_process_is_terminated(tmp_path, stop):
    body = "".join(FUNCTION.format(i=i) for i in range(300))
    write_tree(tmp_path, {"pyproject.toml": "[tool.importguard]\n", **{f"pkg/m{n:03d}.py": body for n in range(150)}})
    main = subprocess.Popen([sys.executable, "-m", "importguard", "check", ".", "--no-cache", "--jobs", "2"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: List[int] = []
        while len(workers) < 2 and time.monotonic() < deadline and main.poll() is None:
            time.sleep(0.05)
            workers = children_of(main.pid)
        assert len(workers) == 2, "the run never had two workers"
        time.sleep(0.3)  # both are parsing
        main.send_signal(stop)
        main.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in workers if running(pid)] == []
    finally:
        main.kill()
        for pid in children_of(main.pid):
            os.kill(pid, signal.SIGKILL)
