"""RUN/history.jsonl: every step and validation on disk as the run goes, whole lines only, one course
of steps after a kill and a resume."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from anomaly_lens import checkpoint as ckpt
from anomaly_lens.history import HISTORY_FILE, parse_history, read_history
from fixtures import cli_args, dataset_with_tokens, run_in_process, tiny_options


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    # 10 images with 1-3 regions: 3 batches of 8 per epoch.
    return dataset_with_tokens(tmp_path_factory.mktemp("history"), train=10, val=3, seed=4)


def trainer(repo_root, args):
    env = {**os.environ, "PYTHONPATH": str(repo_root / "server" / "trainer"), "PYTHONUNBUFFERED": "1", "OMP_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-m", "anomaly_lens", *args], cwd=repo_root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def of_type(events, type_):
    return [e for e in events if e["type"] == type_]


def test_every_step_and_validation_is_on_disk_with_its_time(setup, tmp_path):
    root, data, tokens, merges = setup
    run = tmp_path / "run"
    # stdout carries a few steps a second; the history carries every one.
    code, events = run_in_process(tiny_options(data, tokens, merges, run, epochs=2))
    assert code == 0
    history = read_history(run)
    assert [e["type"] for e in history][0] == "start" and history[-1]["type"] == "done"
    steps = of_type(history, "step")
    assert [e["step"] for e in steps] == list(range(1, 7))
    assert [e["epoch"] for e in steps] == [1, 1, 1, 2, 2, 2]
    for e in steps:
        assert {"loss", "lr", "samples_per_s", "eta_s", "time"} <= set(e)
    assert {e["step"]: e["loss"] for e in steps} == {e["step"]: e["loss"] for e in of_type(events, "step")}
    evals = of_type(history, "eval")
    assert [(e["epoch"], e["step"]) for e in evals] == [(1, 3), (2, 6)]
    assert evals == [{**e, "time": h["time"]} for e, h in zip(of_type(events, "eval"), evals)]
    assert [e["step"] for e in of_type(history, "checkpoint")] == [3, 6]
    times = [e["time"] for e in history]
    assert times == sorted(times) and abs(times[-1] - time.time()) < 600


def test_a_reader_skips_a_torn_last_line_and_lines_that_are_not_events():
    data = b'{"type": "step", "step": 1}\nnot json\n[1, 2]\n{"type": "step", "step": 2}\n{"type": "step", "st'
    assert parse_history(data) == [{"type": "step", "step": 1}, {"type": "step", "step": 2}]
    # A whole last line whose newline the write did not reach is torn too.
    assert parse_history(b'{"type": "step", "step": 1}\n{"type": "eval", "step": 1}') == [{"type": "step", "step": 1}]


def stop_when(proc, run, ready, timeout=240):
    """Freezes the trainer (SIGSTOP) at a moment its files satisfy `ready`, else lets it go on a little."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.05)
        proc.send_signal(signal.SIGSTOP)
        if ready():
            return
        proc.send_signal(signal.SIGCONT)
    raise AssertionError(f"{run} never reached the state awaited")


def test_a_run_killed_mid_run_then_resumed_has_each_step_once_on_the_course_of_an_uninterrupted_run(setup, repo_root, tmp_path):
    root, data, tokens, merges = setup
    run = tmp_path / "run"
    options = tiny_options(data, tokens, merges, run, epochs=50, checkpoint_every=2)
    proc = trainer(repo_root, cli_args(options))
    try:
        def past_a_checkpoint():
            # A checkpoint, and steps in the history after it: the kill loses them.
            if not (run / "last.pt").is_file():
                return False
            history = read_history(run)
            step = ckpt.load(run / "last.pt")["state"]["step"]
            return step >= 4 and max((e["step"] for e in of_type(history, "step")), default=0) > step

        stop_when(proc, run, past_a_checkpoint)
        proc.kill()
        proc.wait(timeout=60)
    finally:
        proc.kill()
        proc.stdout.close()
        proc.stderr.close()
    k = ckpt.load(run / "last.pt")["state"]["step"]
    before = read_history(run)
    assert max(e["step"] for e in of_type(before, "step")) > k and not of_type(before, "stopped")
    # As a kill in the middle of a write leaves it.
    with open(run / HISTORY_FILE, "ab") as f:
        f.write(b'{"type": "step", "step": 99, "lo')

    resumed = trainer(repo_root, ["train", "--out", str(run), "--device", "cpu", "--workers", "0", "--stop-at", str(k + 3)])
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    history = read_history(run)
    assert (run / HISTORY_FILE).read_bytes().endswith(b"\n")
    steps = [e["step"] for e in of_type(history, "step")]
    assert steps == list(range(1, k + 4))
    starts = of_type(history, "start")
    assert [s["resumed_from"] for s in starts] == [None, k]
    assert history[-1]["type"] == "stopped" and history[-1]["step"] == k + 3
    assert all(e["step"] <= k for e in history[:history.index(starts[1])] if "step" in e)

    # The same course as a run never interrupted.
    straight_run = tmp_path / "straight"
    straight = trainer(repo_root, cli_args(tiny_options(data, tokens, merges, straight_run, epochs=50, checkpoint_every=2,
                                                        stop_at=k + 3)))
    _, stderr = straight.communicate(timeout=300)
    assert straight.returncode == 0, stderr
    expected = {e["step"]: e["loss"] for e in of_type(read_history(straight_run), "step")}
    assert {e["step"]: e["loss"] for e in of_type(history, "step")} == pytest.approx(expected, rel=1e-5)
    assert [(e["step"], e["val_accuracy"]) for e in of_type(history, "eval")] == \
        pytest.approx([(e["step"], e["val_accuracy"]) for e in of_type(read_history(straight_run), "eval")])


def test_a_run_stopped_then_resumed_to_its_end_ends_once(setup, tmp_path):
    root, data, tokens, merges = setup
    run = tmp_path / "run"
    code, first = run_in_process(tiny_options(data, tokens, merges, run, epochs=2, stop_at=4))
    assert code == 0 and first[-1]["type"] == "stopped"
    assert run_in_process(dict(out=str(run), device="cpu", workers=0, export=False))[0] == 0
    # A finished run started again only ends again.
    assert run_in_process(dict(out=str(run), device="cpu", workers=0, export=False))[0] == 0
    history = read_history(run)
    assert [e["step"] for e in of_type(history, "step")] == list(range(1, 7))
    assert [e["type"] for e in history].count("done") == 1 and history[-1]["type"] == "done"
    assert [e["type"] for e in history if e["type"] in ("start", "stopped", "done")] == ["start", "stopped", "start", "done"]
    assert [e["step"] for e in of_type(history, "eval")] == [3, 6]


def test_a_new_run_into_a_folder_without_a_checkpoint_starts_its_history_afresh(setup, tmp_path):
    root, data, tokens, merges = setup
    run = tmp_path / "run"
    run.mkdir()
    (run / HISTORY_FILE).write_text(json.dumps({"type": "step", "step": 7, "loss": 1.0}) + "\n")
    assert run_in_process(tiny_options(data, tokens, merges, run, epochs=1))[0] == 0
    assert [e["step"] for e in of_type(read_history(run), "step")] == [1, 2, 3]
