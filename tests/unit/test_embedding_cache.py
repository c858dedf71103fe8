"""The on-disk cache of a bank's embeddings (scoring.embedding_cache): rows come back as they went
in, for the same model only; a damaged file or a folder that cannot be written is no error."""

from __future__ import annotations

import numpy as np

from voice_interviewer.scoring.embedding_cache import DIM, EmbeddingCache, files_key


def rows(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)


def test_rows_come_back_from_a_new_cache_object(tmp_path):
    path = tmp_path / "c" / "minilm-x.npz"
    texts = ["Defines overfitting", "Mentions dropout", "Defines overfitting."]
    EmbeddingCache(path).put(dict(zip(texts, rows(3), strict=True)))
    got = EmbeddingCache(path).get(texts + ["never stored"])
    assert list(got) == texts
    assert np.array_equal(np.stack(list(got.values())), rows(3))
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"


def test_a_damaged_or_foreign_file_is_ignored_and_replaced(tmp_path):
    path = tmp_path / "minilm-x.npz"
    path.write_bytes(b"not a zip")
    cache = EmbeddingCache(path)
    assert cache.get(["a"]) == {}
    cache.put({"a": rows(1)[0]})
    assert list(EmbeddingCache(path).get(["a"])) == ["a"]
    np.savez(path, keys=np.array([b"k" * 32]), rows=np.zeros((1, 7), np.float32))  # wrong width
    assert EmbeddingCache(path).get(["a"]) == {}


def test_a_folder_that_cannot_be_written_means_no_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = EmbeddingCache(blocker / "minilm-x.npz")  # its folder would be inside a file
    cache.put({"a": rows(1)[0]})  # no error
    assert EmbeddingCache(blocker / "minilm-x.npz").get(["a"]) == {}


def test_the_key_changes_with_the_model_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"model one")
    b.write_bytes(b"model two")
    assert files_key([a], "pooling") != files_key([b], "pooling")
    assert files_key([a], "pooling") != files_key([a], "other pooling")
    assert files_key([a], "pooling") == files_key([a], "pooling")
