import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"

for entry in (REPO / "server" / "trainer", Path(__file__).resolve().parent):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

import torch  # noqa: E402


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"the shared test data folder is missing: {SHARED}")
    return SHARED


@pytest.fixture
def node() -> str:
    exe = os.environ.get("NODE") or shutil.which("node")
    if not exe:
        pytest.fail("node is not on PATH (needed to run the TypeScript side of a cross-check)")
    return exe
