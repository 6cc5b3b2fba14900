"""Full load test: N simulated farmers at once through the Bot API emulator against `fishbot run`.

    python scripts/loadtest.py --farmers 200 [--outage 10] [--json]

Starts the emulator (tests/e2e/harness.js, telegram-test-api) and a real bot process with a fresh
database and a copy of the intents, drives every farmer through 3 messages and 2 button answers,
and prints reply latency p50/p95, messages per second, and lost / wrong-chat counts.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "e2e"))
sys.path.insert(0, str(REPO))

from botproc import BotProcess  # noqa: E402
from emulator import Emulator  # noqa: E402

from bot.loadtest import run_load  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--farmers", type=int, default=200)
    parser.add_argument("--outage", type=float, default=0.0, help="seconds the emulator is stopped mid-run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.farmers <= 1000:
        parser.error("--farmers must be between 1 and 1000")
    with tempfile.TemporaryDirectory() as tmp, Emulator() as emulator:
        intents = Path(tmp) / "intents"
        shutil.copytree(REPO / "intents", intents)
        bot = BotProcess(emulator, Path(tmp) / "load.sqlite3", intents, FISHBOT_LOG_TEXT="0").start()
        try:
            result = run_load(emulator, farmers=args.farmers, outage_seconds=args.outage)
        finally:
            bot.stop()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(" ".join(f"{k}={v}" for k, v in result.items()))
    return 0 if result["lost"] == 0 and result["wrong_chat"] == 0 and result["replies"] == result["expected_replies"] else 1


if __name__ == "__main__":
    sys.exit(main())
