import json
import os

import pytest

from anomaly_lens.dataset_files import DatasetError, region_samples
from fixtures import labels_of, write_dataset


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "ds", train=3, val=1, seed=2)


def first_record(root, split):
    return json.loads((root / f"{split}.jsonl").read_text().splitlines()[0])


def test_an_image_linked_outside_the_root_is_refused_naming_the_link(data, tmp_path):
    outside = tmp_path / "secret.png"
    image = data.root / first_record(data.root, "train")["image"]
    outside.write_bytes(image.read_bytes())
    image.unlink()
    os.symlink(outside, image)
    with pytest.raises(DatasetError) as err:
        region_samples(data.root, "train", labels_of(data))
    assert "train.jsonl:1" in str(err.value)
    assert f"leads outside the dataset root through the symbolic link {image} (to {outside})" in str(err.value)


def test_a_folder_linked_outside_the_root_is_refused_naming_the_folder(data, tmp_path):
    mask = data.root / first_record(data.root, "train")["regions"][0]["mask"]
    folder = mask.parent
    moved = tmp_path / "elsewhere"
    folder.rename(moved)
    os.symlink(moved, folder)
    with pytest.raises(DatasetError, match=f"through the symbolic link {folder} "):
        region_samples(data.root, "train", labels_of(data))


def test_links_inside_the_root_and_a_linked_root_are_followed(data, tmp_path):
    image = data.root / first_record(data.root, "train")["image"]
    copy = data.root / "copy.png"
    copy.write_bytes(image.read_bytes())
    image.unlink()
    os.symlink(os.path.relpath(copy, image.parent), image)
    alias = tmp_path / "alias"
    os.symlink(data.root, alias)
    samples = region_samples(alias, "train", labels_of(data))
    assert samples[0].image == alias / first_record(data.root, "train")["image"]
