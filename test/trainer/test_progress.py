"""The trainer as a process: the JSON-lines protocol on stdout, exit codes, SIGTERM."""
import json
import os
import signal
import subprocess
import sys

import pytest

from anomaly_lens.progress import EVENT_TYPES
from fixtures import cli_args, dataset_with_tokens, tiny_options

REQUIRED = {
    "prepare": {"split", "done", "total"},
    "start": {"version", "run", "device", "world_size", "amp", "config", "samples", "descriptions", "steps", "epochs",
              "resumed_from", "trainable_parameters", "cached"},
    "step": {"step", "epoch", "loss", "lr", "samples_per_s", "eta_s"},
    "eval": {"epoch", "step", "val_accuracy", "val_loss", "samples", "best"},
    "checkpoint": {"path", "step", "epoch", "best"},
    "warning": {"message"},
    "stopped": {"step", "epoch", "checkpoint", "signal"},
    "done": {"paths"},
    "error": {"message", "kind"},
}


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    return dataset_with_tokens(tmp_path_factory.mktemp("progress"), train=10, val=3, seed=6)


def trainer_env(repo_root):
    return {**os.environ, "PYTHONPATH": str(repo_root / "server" / "trainer"), "PYTHONUNBUFFERED": "1"}


def run_trainer(repo_root, args, timeout=300):
    proc = subprocess.run([sys.executable, "-m", "anomaly_lens", *args], cwd=repo_root, env=trainer_env(repo_root),
                          capture_output=True, text=True, timeout=timeout)
    return proc, parse_protocol(proc.stdout)


def parse_protocol(stdout):
    """Every stdout line is one JSON object of a known type with its fields."""
    events = []
    for line in stdout.splitlines():
        event = json.loads(line)
        assert event["type"] in EVENT_TYPES, line
        missing = REQUIRED[event["type"]] - set(event)
        assert not missing, f"{event['type']} lacks {missing}: {line}"
        events.append(event)
    return events


def test_a_run_speaks_only_the_protocol(setup, repo_root, tmp_path):
    root, data, tokens, merges = setup
    run = tmp_path / "run"
    options = tiny_options(data, tokens, merges, run, epochs=2, export=True)
    options.pop("export")  # the default: export at the end
    proc, events = run_trainer(repo_root, cli_args(options))
    assert proc.returncode == 0, proc.stderr
    types = [e["type"] for e in events]
    assert "prepare" in types[:types.index("start")] and set(types[:types.index("start")]) <= {"prepare", "warning"}
    assert types[-1] == "done" and types.count("eval") == 2 and types.count("checkpoint") == 2
    start = events[types.index("start")]
    assert start["samples"] == {"train": data.counts["train"]["regions"], "val": data.counts["val"]["regions"]}
    assert start["steps"] == {"total": 6, "per_epoch": 3} and start["device"] == "cpu" and start["amp"] == "off"
    step_numbers = [e["step"] for e in events if e["type"] == "step"]
    assert step_numbers[0] == 1 and step_numbers[-1] == 6 and step_numbers == sorted(step_numbers)
    done = events[-1]
    assert done["steps"] == 6 and done["paths"]["bundle"] == str(run / "bundle")
    bundle = json.loads((run / "bundle" / "bundle.json").read_text())
    assert bundle["provenance"]["metrics"]["valAccuracy"] == done["best_accuracy"]
    assert bundle["provenance"]["datasetHash"] and bundle["alpha"] is True

    # export from the last checkpoint into another folder
    proc, events = run_trainer(repo_root, ["export", "--run", str(run), "--out", str(tmp_path / "b2"), "--checkpoint", "last"])
    assert proc.returncode == 0, proc.stderr
    assert [e["type"] for e in events] == ["done"] and events[0]["paths"]["bundle"] == str(tmp_path / "b2")
    assert json.loads((tmp_path / "b2" / "bundle.json").read_text())["provenance"]["checkpointStep"] == 6


def test_sigterm_stops_after_the_step_with_a_checkpoint(setup, repo_root, tmp_path):
    root, data, tokens, merges = setup
    run = tmp_path / "run"
    options = tiny_options(data, tokens, merges, run, epochs=50)
    proc = subprocess.Popen([sys.executable, "-m", "anomaly_lens", *cli_args(options)], cwd=repo_root,
                            env=trainer_env(repo_root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if json.loads(line)["type"] == "step":
                proc.send_signal(signal.SIGTERM)
                break
        rest, stderr = proc.communicate(timeout=120)
    finally:
        proc.kill()
    events = parse_protocol("".join(lines) + rest)
    assert proc.returncode == 0, stderr
    stopped = events[-1]
    assert stopped["type"] == "stopped" and stopped["signal"] == "SIGTERM"
    assert 1 <= stopped["step"] < 150
    assert stopped["checkpoint"] == str(run / "checkpoints" / f"step-{stopped['step']:06d}.pt")
    assert os.path.samefile(stopped["checkpoint"], run / "last.pt")
    assert "SIGTERM received" in stderr

    proc, events = run_trainer(repo_root, ["train", "--out", str(run), "--device", "cpu", "--workers", "0",
                                           "--stop-at", str(stopped["step"] + 1)])
    assert proc.returncode == 0, proc.stderr
    start = next(e for e in events if e["type"] == "start")
    assert start["resumed_from"] == stopped["step"]
    assert events[-1]["type"] == "stopped" and events[-1]["step"] == stopped["step"] + 1


def test_user_errors_are_error_events_with_status_2(setup, repo_root, tmp_path):
    root, data, tokens, merges = setup
    missing = tmp_path / "nowhere"
    options = tiny_options(data, tokens, merges, tmp_path / "run", dataset=str(missing))
    proc, events = run_trainer(repo_root, cli_args(options))
    assert proc.returncode == 2
    assert [e["type"] for e in events] == ["error"]
    assert events[0]["kind"] == "user" and str(missing / "dataset.json") in events[0]["message"]
    assert "Traceback" not in proc.stderr

    proc, events = run_trainer(repo_root, cli_args({**options, "dataset": str(data.root), "tune": "lora"}))
    assert proc.returncode == 2 and "--init" in events[0]["message"]


def test_stray_output_goes_to_stderr(repo_root):
    code = ("from anomaly_lens.progress import Progress, claim_stdout\n"
            "import os\n"
            "p = Progress(claim_stdout())\n"
            "print('python noise')\n"
            "os.system('echo native noise')\n"
            "p.emit('warning', message='only this', file='x.png')\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=repo_root, env=trainer_env(repo_root),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == '{"type": "warning", "message": "only this", "file": "x.png"}\n'
    assert "python noise" in proc.stderr and "native noise" in proc.stderr
