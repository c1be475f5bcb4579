import json

import pytest
import torch

from anomaly_lens.batches import ResumableBatches, flip_generator, random_flips
from anomaly_lens.config import ALPHA_INSIDE
from anomaly_lens.dataset_files import DatasetError, dataset_hash, manifest_descriptions, read_manifest, region_samples
from anomaly_lens.preprocess import preprocess_files
from anomaly_lens.region_dataset import RegionDataset
from fixtures import labels_of, write_dataset


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "ds", train=6, val=3, seed=1)


def records(root, split):
    return [json.loads(line) for line in (root / f"{split}.jsonl").read_text().splitlines()]


def rewrite(root, split, recs):
    (root / f"{split}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs))


def test_one_sample_per_region_with_its_description(data):
    samples = region_samples(data.root, "train", labels_of(data))
    recs = records(data.root, "train")
    expected = [(data.root / r["image"], data.root / reg["mask"], reg["description"]) for r in recs for reg in r["regions"]]
    assert len(samples) == data.counts["train"]["regions"] == len(expected)
    assert [(s.image, s.mask, s.description) for s in samples] == expected
    assert all(data.descriptions[s.label] == s.description for s in samples)
    assert manifest_descriptions(read_manifest(data.root)) == data.descriptions


@pytest.mark.parametrize("bad, message", [
    ("../outside.png", "escapes the dataset root"),
    ("images/../../x.png", "escapes the dataset root"),
    ("/etc/passwd", "is absolute"),
    ("C:/x.png", "is absolute"),
])
def test_paths_are_confined_to_the_dataset_root(data, bad, message):
    recs = records(data.root, "train")
    recs[1]["regions"][0]["mask"] = bad
    rewrite(data.root, "train", recs)
    with pytest.raises(DatasetError) as err:
        region_samples(data.root, "train", labels_of(data))
    assert message in str(err.value)
    assert "train.jsonl:2" in str(err.value)


def test_unknown_description_and_bad_json_name_the_line(data):
    recs = records(data.root, "val")
    recs[2]["regions"][0]["description"] = "a description nobody listed"
    rewrite(data.root, "val", recs)
    with pytest.raises(DatasetError, match=r"val\.jsonl:3: regions\[0\]: description 'a description nobody listed'"):
        region_samples(data.root, "val", labels_of(data))
    (data.root / "val.jsonl").write_text(json.dumps(recs[0]) + "\n{not json\n")
    with pytest.raises(DatasetError, match=r"val\.jsonl:2: not valid JSON"):
        region_samples(data.root, "val", labels_of(data))


def test_manifest_version_is_checked(data):
    manifest = json.loads((data.root / "dataset.json").read_text())
    manifest["formatVersion"] = 7
    (data.root / "dataset.json").write_text(json.dumps(manifest))
    with pytest.raises(DatasetError, match="format version 7"):
        read_manifest(data.root)


@pytest.mark.parametrize("cached", [True, False])
def test_batches_equal_the_shared_preprocessing(data, cached):
    samples = region_samples(data.root, "train", labels_of(data))
    ds = RegionDataset(samples, 64)
    if cached:
        assert ds.preload(workers=2) == []
        assert ds.cached
    indices = [4, 0, 2]
    image, alpha, labels = ds[indices]
    assert image.shape == (3, 3, 64, 64) and alpha.shape == (3, 1, 64, 64) and labels.dtype == torch.int64
    for row, j in enumerate(indices):
        ref_image, ref_alpha = preprocess_files(samples[j].image, [samples[j].mask], 64)
        assert torch.equal(image[row], torch.from_numpy(ref_image))
        assert torch.equal(alpha[row], torch.from_numpy(ref_alpha))
        assert labels[row] == samples[j].label


def test_whole_image_variant_reads_no_masks(data):
    samples = region_samples(data.root, "train", labels_of(data))
    for s in samples:
        s.mask.unlink()
    ds = RegionDataset(samples, 64, use_alpha=False)
    assert ds.drop_missing() == []
    _, alpha, _ = ds[[0, 1]]
    assert torch.all(alpha == torch.tensor(ALPHA_INSIDE, dtype=torch.float32))


def test_unreadable_files_are_reported_and_left_out(data):
    samples = region_samples(data.root, "train", labels_of(data))
    broken_image = samples[0].image
    broken_image.write_bytes(b"\x89PNG\r\n\x1a\n not really a png")
    missing_mask = next(s for s in samples if s.image != broken_image).mask
    missing_mask.unlink()
    ds = RegionDataset(samples, 64)
    missing = ds.drop_missing()
    assert [file for file, _ in missing] == [str(missing_mask)]
    problems = ds.preload(workers=2)
    assert [file for file, _ in problems] == [str(broken_image)]
    assert "cannot decode" in problems[0][1]
    kept = [s for s in samples if s.image != broken_image and s.mask != missing_mask]
    assert ds.samples == kept and len(ds) == len(kept)
    image, _, labels = ds[list(range(len(kept)))]
    assert labels.tolist() == [s.label for s in kept]
    ref, _ = preprocess_files(kept[-1].image, [kept[-1].mask], 64)
    assert torch.equal(image[-1], torch.from_numpy(ref))


def test_batches_resume_mid_epoch_and_split_among_ranks():
    items = list(range(23))
    whole = ResumableBatches(items, batch_size=4, world_size=1, rank=0, seed=5)
    whole.set_epoch(2)
    epoch2 = list(whole)
    assert sorted(i for b in epoch2 for i in b) == items and len(epoch2) == 6
    whole.set_epoch(2, skip=4)
    assert list(whole) == epoch2[4:] and len(whole) == 2
    whole.set_epoch(3)
    assert list(whole) != epoch2
    ranks = [ResumableBatches(items, batch_size=4, world_size=2, rank=r, seed=5) for r in (0, 1)]
    for r in ranks:
        r.set_epoch(2)
    seen = [i for r in ranks for b in r for i in b]
    assert len(seen) == 24 and set(seen) == set(items)  # padded to an even split
    assert ranks[0].batches_per_epoch() == ranks[1].batches_per_epoch() == 3


def test_flips_move_image_and_alpha_together():
    image = torch.arange(2 * 3 * 4 * 4, dtype=torch.float32).view(2, 3, 4, 4)
    alpha = torch.zeros(2, 1, 4, 4)
    alpha[:, :, 0, 0] = 1  # marks the top-left pixel
    seen = set()
    for step in range(12):
        out_image, out_alpha = random_flips(image, alpha, flip_generator(7, step))
        again = random_flips(image, alpha, flip_generator(7, step))
        assert torch.equal(out_image, again[0]) and torch.equal(out_alpha, again[1])
        for n in range(2):
            y, x = [int(v) for v in torch.nonzero(out_alpha[n, 0])[0]]
            # The image's top-left value went to the same corner as the alpha mark.
            assert out_image[n, 0, y, x] == image[n, 0, 0, 0]
            seen.add((y, x))
    assert seen == {(0, 0), (0, 3), (3, 0), (3, 3)}


def test_dataset_hash_follows_the_split_files(data):
    before = dataset_hash(data.root)
    assert before == dataset_hash(data.root)
    recs = records(data.root, "val")
    rewrite(data.root, "val", recs[:-1])
    assert dataset_hash(data.root) != before
