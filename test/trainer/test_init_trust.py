"""--init reads only tensors unless the user says the file is trusted: a file the safe loader refuses
(a training checkpoint, or anything holding other Python objects) is a full pickle, which can run
any code when read, so it needs --init-trusted, and the error says so."""
import pytest
import torch

from anomaly_lens import checkpoint as ckpt
from anomaly_lens.model_files import load_init, model_from_checkpoint
from anomaly_lens.train_options import resolve_config
from anomaly_lens.tuning import prepare_model
from fixtures import dataset_with_tokens, run_in_process, tiny_options


class _RunsCode:
    """Unpickling it calls exec, as a hostile file would."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'w').write('ran')",))


@pytest.fixture(scope="module")
def base_run(tmp_path_factory):
    root, data, tokens, merges = dataset_with_tokens(tmp_path_factory.mktemp("trust"), train=6, val=2, seed=3)
    run = root / "base"
    assert run_in_process(tiny_options(data, tokens, merges, run, epochs=1, max_steps=1))[0] == 0
    return data, tokens, merges, run


def test_a_file_that_would_run_code_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "ran.txt"
    hostile = tmp_path / "weights.pt"
    torch.save({"state_dict": _RunsCode(marker)}, hostile)
    with pytest.raises(ckpt.CheckpointError, match="--init-trusted") as refused:
        load_init(hostile)
    assert str(hostile) in str(refused.value)
    assert "run any code" in str(refused.value)
    assert not marker.exists(), "the file's code ran"


def test_a_checkpoint_or_run_folder_loads_only_when_trusted(base_run):
    data, tokens, merges, run = base_run
    for init in (run / "last.pt", run):
        with pytest.raises(ckpt.CheckpointError, match="--init-trusted"):
            load_init(init)
        model = load_init(init, trusted=True)
        assert model.cfg.size == "tiny"


def test_a_bundle_needs_no_trust(base_run, tmp_path):
    data, tokens, merges, run = base_run
    assert run_in_process(tiny_options(data, tokens, merges, tmp_path / "exported", epochs=1, max_steps=1, export=True))[0] == 0
    assert load_init(tmp_path / "exported" / "bundle").cfg.size == "tiny"


def test_the_trainer_refuses_an_untrusted_checkpoint_and_remembers_a_trusted_one(base_run, tmp_path):
    data, tokens, merges, run = base_run
    untrusted = resolve_config(tiny_options(data, tokens, merges, tmp_path / "x", init=str(run / "last.pt")))
    assert untrusted.init_trusted is False
    with pytest.raises(ckpt.CheckpointError, match="--init-trusted"):
        prepare_model(untrusted, 520)

    options = tiny_options(data, tokens, merges, tmp_path / "lora", init=str(run / "last.pt"), init_trusted=True,
                           lora_r=4, lora_alpha=4, epochs=2, stop_at=1)
    code, events = run_in_process(options)
    assert code == 0 and events[-1]["type"] == "stopped"
    # Resumed without the flag: the run was started with it, and its LoRA base is read again.
    code, events = run_in_process(dict(out=options["out"], device="cpu", workers=0, stop_at=2, export=False))
    assert code == 0, events[-1]
    saved = ckpt.load(tmp_path / "lora" / "last.pt")
    assert saved["config"]["init_trusted"] is True
    assert model_from_checkpoint(saved).cfg.size == "tiny"
