"""The trainer reads a dataset as one version, old or new, while a rebuild switches it: a read during
which dataset.json was replaced is done again, and a switch under way (its COMMIT note) is waited for."""
import json
import os

import pytest

from anomaly_lens.dataset_files import SWITCH_NOTE, DatasetError, read_manifest, read_split, read_steadily
from fixtures import write_dataset


def switch_manifest(root, data):
    """What a rebuild's switch does to dataset.json: a new file renamed over it."""
    staged = root / ".anomaly-lens" / "staging" / "dataset.json"
    staged.parent.mkdir(parents=True, exist_ok=True)
    staged.write_text(json.dumps(data))
    os.replace(staged, root / "dataset.json")


def test_a_read_during_which_the_dataset_switched_is_done_again(tmp_path):
    data = write_dataset(tmp_path / "ds", train=3, val=1, seed=1)
    root = data.root
    old = read_manifest(root)
    new = {**old, "createdAt": "after the rebuild"}
    reads = []

    def read():
        manifest = read_manifest(root)
        if not reads:
            switch_manifest(root, new)  # the rebuild switched while this read ran
        reads.append(manifest["createdAt"])
        return manifest, read_split(root, "train")

    manifest, train = read_steadily(root, read)
    assert reads == [old["createdAt"], "after the rebuild"]
    assert manifest["createdAt"] == "after the rebuild"
    assert len(train) == 3


def test_an_error_of_a_read_that_a_switch_disturbed_is_not_reported(tmp_path):
    root = write_dataset(tmp_path / "ds", train=2, val=1, seed=1).root
    manifest = read_manifest(root)
    calls = []

    def read():
        calls.append(1)
        if len(calls) == 1:
            switch_manifest(root, manifest)
            raise DatasetError("train.jsonl:1: a file the old dataset named, pruned meanwhile")
        return "read"

    assert read_steadily(root, read) == "read"
    with pytest.raises(DatasetError, match="steady failure"):
        read_steadily(root, lambda: (_ for _ in ()).throw(DatasetError("steady failure")))


def test_a_switch_under_way_is_waited_for_and_named_when_it_does_not_end(tmp_path):
    root = write_dataset(tmp_path / "ds", train=2, val=1, seed=1).root
    note = root / SWITCH_NOTE
    note.parent.mkdir(parents=True)
    note.write_text('["dataset.json"]')
    calls = []
    with pytest.raises(DatasetError, match="kept switching while it was read"):
        read_steadily(root, lambda: calls.append(1), wait=0)
    assert calls == [], "nothing is read while the manifests are being switched"
    note.unlink()
    assert read_steadily(root, lambda: "read", wait=0) == "read"
