"""bench/analysis.py runs, small, and prints its three figures."""

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "analysis.py"


def test_the_benchmark_prints_messages_per_second():
    done = subprocess.run(
        [sys.executable, str(BENCH), "--messages", "300"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    lines = done.stdout.splitlines()
    assert re.match(r"^\d+ conversations, \d+ messages, 30 topics$", lines[0])
    labels = [line.split("  ")[0] for line in lines[1:]]
    assert labels == [
        "analyse() without keyphrases",
        "keyphrases (YAKE) per conversation",
        "analyse() with keyphrases",
    ]
    for line in lines[1:]:
        assert re.search(r"[\d,]+ \w+/s CPU \(.*\), +[\d,]+ \w+/s wall", line)
