"""rbmkit train, sample and show on small generated data: outputs, formats, reproducibility."""
import json

import numpy as np

from conftest import bars_and_stripes, run

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def train(bas_npy, out, *extra, seed=4):
    return run("train", "--data", bas_npy, "--hidden", "9", "--updates", "300", "--batch", "10", "--seed", seed,
               "--out", out, "--quiet", "--sample-steps", "20", *extra, check=0)


def test_train_writes_model_pictures_and_log(bas_npy, tmp_path):
    out = tmp_path / "o"
    train(bas_npy, out)
    with np.load(out / "model.npz") as f:  # allow_pickle defaults to False
        assert f["W"].shape == (16, 9) and f["W"].dtype == np.float32
        assert f["b"].shape == (9,) and f["a"].shape == (16,)
        meta = json.loads(str(f["meta"]))
    assert meta["settings"]["hidden"] == 9
    assert meta["settings"]["data"] == str(bas_npy)
    assert meta["settings"]["binarize"] == "none"  # auto, as resolved for a file
    assert meta["settings"]["seed"] == 4
    assert meta["visible_units"] == "bernoulli" and meta["hidden_units"] == "bernoulli"
    assert meta["rbmkit_version"]
    # 9 units: a 3 x 3 grid of 4 x 4 tiles with 1-pixel separators and border.
    assert png_size(out / "weights.png") == (3 * 4 + 4, 3 * 4 + 4)
    w, h = png_size(out / "samples.png")
    assert w > 0 and h > 0
    lines = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
    assert lines[-1]["update"] == 300 and lines[-1]["examples_seen"] == 3000
    assert all(line["reconstruction_error"] >= 0 for line in lines)


def test_same_seed_gives_bit_identical_model_file(bas_npy, tmp_path):
    train(bas_npy, tmp_path / "a")
    train(bas_npy, tmp_path / "b")
    assert (tmp_path / "a" / "model.npz").read_bytes() == (tmp_path / "b" / "model.npz").read_bytes()
    train(bas_npy, tmp_path / "c", seed=5)
    assert (tmp_path / "a" / "model.npz").read_bytes() != (tmp_path / "c" / "model.npz").read_bytes()


def test_training_lowers_free_energy_of_the_data(bas_npy, tmp_path):
    out = tmp_path / "o"
    run("train", "--data", bas_npy, "--hidden", "16", "--epochs", "300", "--batch", "10", "--lr", "0.1",
        "--heldout", bas_npy, "--out", out, "--quiet", "--sample-steps", "5", check=0)
    lines = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
    assert lines[-1]["reconstruction_error"] < 0.5 * lines[0]["reconstruction_error"]
    assert "free_energy_heldout" in lines[-1]


def test_visible_bias_off_keeps_a_zero_and_on_starts_at_logit_means(bas_npy, tmp_path):
    train(bas_npy, tmp_path / "off", "--visible-bias", "off")
    with np.load(tmp_path / "off" / "model.npz") as f:
        assert not f["a"].any()
    run("train", "--data", bas_npy, "--hidden", "4", "--updates", "1", "--lr", "1e-9", "--out", tmp_path / "on",
        "--quiet", "--sample-steps", "1", check=0)
    with np.load(tmp_path / "on" / "model.npz") as f:
        p = bars_and_stripes(4).mean(axis=0)
        np.testing.assert_allclose(f["a"], np.log(p / (1 - p)), atol=1e-5)


def test_sample_writes_grid_and_binary_states(bas_npy, tmp_path):
    out = tmp_path / "o"
    train(bas_npy, out)
    npy = tmp_path / "s.npy"
    run("sample", out / "model.npz", "--chains", "12", "--steps", "7", "--out", tmp_path / "s.png", "--npy", npy,
        check=0)
    x = np.load(npy)
    assert x.shape == (12, 16) and x.dtype == np.float32
    assert set(np.unique(x)) <= {0.0, 1.0}
    # 12 chains: a 4 x 3 grid of 4 x 4 tiles.
    assert png_size(tmp_path / "s.png") == (4 * 4 + 5, 3 * 4 + 4)
    run("sample", out / "model.npz", "--from", "noise", "--chains", "3", "--out", tmp_path / "n.png", check=0)
    assert png_size(tmp_path / "n.png") == (2 * 4 + 3, 2 * 4 + 3)


def test_show_redraws_the_weight_mosaic(bas_npy, tmp_path):
    out = tmp_path / "o"
    train(bas_npy, out)
    run("show", out / "model.npz", "--out", tmp_path / "w.png", check=0)
    assert (tmp_path / "w.png").read_bytes() == (out / "weights.png").read_bytes()
    run("show", out / "model.npz", "--out", tmp_path / "w2.png", "--tile", "16x1", check=0)
    assert png_size(tmp_path / "w2.png") == (3 * 16 + 4, 3 * 1 + 4)


def test_csv_and_idx_data_train_too(tmp_path):
    x = bars_and_stripes(3)
    np.savetxt(tmp_path / "bas.csv", x, fmt="%d", delimiter=",", header="p0,p1,p2,p3,p4,p5,p6,p7,p8", comments="")
    run("train", "--data", tmp_path / "bas.csv", "--hidden", "4", "--updates", "50", "--out", tmp_path / "c",
        "--quiet", "--sample-steps", "2", check=0)
    idx = bytes([0, 0, 0x08, 3]) + (14).to_bytes(4, "big") + (3).to_bytes(4, "big") + (3).to_bytes(4, "big")
    (tmp_path / "bas.idx").write_bytes(idx + (x * 255).astype(np.uint8).tobytes())
    run("train", "--data", tmp_path / "bas.idx", "--binarize", "threshold", "--hidden", "4", "--updates", "50",
        "--out", tmp_path / "i", "--quiet", "--sample-steps", "2", check=0)
    with np.load(tmp_path / "i" / "model.npz") as f:
        assert f["W"].shape == (9, 4)
        assert json.loads(str(f["meta"]))["image_width"] == 3


def test_pcd_and_pt_train_and_log_swap_rates(bas_npy, tmp_path):
    for method in ["pcd", "pt"]:
        out = tmp_path / method
        run("train", "--data", bas_npy, "--hidden", "8", "--method", method, "--chains", "10", "--temperatures", "4",
            "--updates", "200", "--batch", "10", "--report-every", "50", "--out", out, "--quiet", "--sample-steps", "2",
            check=0)
        lines = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
        assert len(lines) == 4
        with np.load(out / "model.npz") as f:
            s = json.loads(str(f["meta"]))["settings"]
        assert s["method"] == method and s["chains"] == 10
        if method == "pt":
            rates = lines[-1]["swap_acceptance"]
            assert len(rates) == 3 and all(0 <= r <= 1 for r in rates)
        else:
            assert "swap_acceptance" not in lines[-1]
