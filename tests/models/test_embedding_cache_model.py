"""The packaged sentence model keeps a bank's texts on disk (issue 24): a new process reads the
rows of the other questions' points instead of embedding them again, the rows are the model's own,
and an answer's sentences are never written there."""

from __future__ import annotations

import numpy as np
import pytest

from voice_interviewer.bank import resolve_bank
from voice_interviewer.scoring.embedding_cache import EmbeddingCache, text_key
from voice_interviewer.scoring.semantic import split_sentences
from voice_interviewer.scoring.semantic_model import EmbedderSettings, MiniLMEmbedder
from voice_interviewer.scoring.text_answer import score_text
from voice_interviewer.scoring.topics import other_topics, topic_views

ANSWER = (
    "Overfitting is when a model memorizes the noise in the training data. You can detect it by "
    "comparing training loss with validation loss. Collect more data and use early stopping."
)


def test_a_new_process_reads_the_banks_rows_and_scores_the_same(tmp_path, monkeypatch):
    q = resolve_bank(None).question("overfitting")
    first = MiniLMEmbedder(EmbedderSettings(cache_dir=tmp_path))
    before = score_text(q, ANSWER, first).rubric
    [path] = tmp_path.glob("minilm-*.npz")
    stored = EmbeddingCache(path).get(
        [v for t in other_topics(q) for vs in topic_views(t) for v in vs]
    )
    assert len(stored) > 100  # the other questions' points, kept

    again = MiniLMEmbedder(EmbedderSettings(cache_dir=tmp_path))
    ran: list[str] = []
    real = again._run
    monkeypatch.setattr(again, "_run", lambda texts: (ran.extend(texts), real(texts))[1])
    after = score_text(q, ANSWER, again).rubric
    assert not set(ran) & set(stored)  # read, not embedded again
    assert ran  # the answer's own sentences were embedded
    assert [(p.id, p.status, p.score) for p in after.points] == [
        (p.id, p.status, p.score) for p in before.points
    ]
    text = next(iter(stored))
    fresh = MiniLMEmbedder().embed([text])[0]
    assert np.allclose(stored[text], fresh, atol=1e-6)


def test_an_answers_sentences_are_not_kept(tmp_path):
    q = resolve_bank(None).question("overfitting")
    embedder = MiniLMEmbedder(EmbedderSettings(cache_dir=tmp_path))
    analysis = score_text(q, ANSWER, embedder)
    [path] = tmp_path.glob("minilm-*.npz")
    with np.load(path) as f:
        keys = set(f["keys"].tolist())
    said = [s.text for s in split_sentences([w for w in analysis.words], timed=False)]
    assert said and not {text_key(s) for s in said} & keys
    assert text_key(q.points[0].text) in keys


@pytest.mark.parametrize("cache", [None, "file"])
def test_no_cache_folder_or_an_unusable_one_still_scores(tmp_path, cache):
    q = resolve_bank(None).question("overfitting")
    where = None
    if cache == "file":
        (tmp_path / "f").write_text("x")
        where = tmp_path / "f" / "sub"
    embedder = MiniLMEmbedder(EmbedderSettings(cache_dir=where))
    assert score_text(q, ANSWER, embedder).rubric.points
