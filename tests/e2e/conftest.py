import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from botproc import BotProcess  # noqa: E402
from emulator import Emulator  # noqa: E402

REPO = HERE.parents[1]


@pytest.fixture(scope="module")
def emulator():
    with Emulator() as emu:
        yield emu


@pytest.fixture(scope="module")
def intents_dir(tmp_path_factory):
    target = tmp_path_factory.mktemp("intents") / "intents"
    shutil.copytree(REPO / "intents", target)
    return target


@pytest.fixture(scope="module")
def bot(emulator, intents_dir, tmp_path_factory):
    process = BotProcess(emulator, tmp_path_factory.mktemp("db") / "fishbot.sqlite3", intents_dir,
                         FISHBOT_RATE_LIMIT="6", FISHBOT_RATE_WINDOW="5")
    process.start()
    yield process
    process.stop()
