"""Scores every word span of a message against every reference sentence, fast.

Both similarities are cosines of *sums* of per-word vectors:
- the lexical one is character n-gram TF-IDF (within word boundaries, raw counts), so a span's
  vector is exactly the sum of its words' vectors;
- for a static (bag-of-tokens) encoder, a span's embedding direction is the sum of its words'
  token vectors.
So each word is looked up once (and cached), and all spans of a message come from one product of a
span-membership matrix with the word-by-reference dot products, and span lengths from the word Gram
matrix: no span is ever encoded on its own.
Encoders that are not static (transformers) fall back to encoding each distinct span.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as l2_normalize
from threadpoolctl import ThreadpoolController

from bot.encoder import Encoder
from bot.language import language_data
from bot.normalize import fold_accents
from bot.spelling import DomainSpelling

# Per-word features are kept in growing matrices, one row per distinct word; a farmer vocabulary is
# a few thousand words, so the table is simply emptied if it ever grows past this many.
WORD_CACHE_SIZE = 20_000
# Messages up to this many words use a span-membership matrix (a few small BLAS products);
# longer texts (the linter scores every reference at once) use prefix sums.
MEMBERSHIP_MAX_WORDS = 64

_BLAS_LIMITED = False


def use_one_blas_thread() -> None:
    """Span scoring multiplies matrices of a few dozen rows. Threaded BLAS only adds hand-offs there,
    and on a busy machine its spinning threads made scoring ten times slower (see README, bench). So
    numpy's BLAS runs one thread in a process that scores spans. It is set once: setting it around
    every message cost 5 µs of a 0.4 ms message. torch keeps its own thread pool.
    """
    global _BLAS_LIMITED
    if not _BLAS_LIMITED:
        ThreadpoolController().limit(limits=1, user_api="blas")
        _BLAS_LIMITED = True


def _static_table(encoder: Encoder | None):
    """(tokenizer, embedding matrix) when the model is StaticEmbedding + Normalize, else None."""
    if encoder is None:
        return None
    modules = list(encoder.model)
    if len(modules) != 2 or type(modules[0]).__name__ != "StaticEmbedding" or type(modules[1]).__name__ != "Normalize":
        return None
    static = modules[0]
    weights = static.embedding.weight.detach().float().cpu().numpy()
    return static.tokenizer, weights


class _WordTable:
    """Rows of per-word features, looked up by fancy indexing (one C call per message)."""

    def __init__(self, widths: dict[str, tuple[int, ...]]):
        self.index: dict[str, int] = {}
        self.rows = {name: np.zeros((0, *shape), dtype=np.float32) for name, shape in widths.items()}

    def missing(self, words) -> list[str]:
        return [w for w in dict.fromkeys(words) if w not in self.index]

    def clear(self) -> None:
        self.index = {}

    def add(self, words: list[str], rows: dict[str, np.ndarray]) -> None:
        base = len(self.index)
        needed = base + len(words)
        for name, block in rows.items():
            table = self.rows[name]
            if needed > table.shape[0]:
                grown = np.zeros((max(needed, 2 * table.shape[0], 256), *table.shape[1:]), dtype=np.float32)
                grown[:base] = table[:base]
                self.rows[name] = table = grown
            table[base:needed] = block
        for i, word in enumerate(words):
            self.index[word] = base + i

    def ids(self, words: list[str]) -> np.ndarray:
        index = self.index
        return np.fromiter((index[w] for w in words), dtype=np.intp, count=len(words))


class SpanScorer:
    def __init__(self, references: list[str], encoder: Encoder | None, dense_weight: float):
        use_one_blas_thread()
        self.encoder = encoder
        self.dense_weight = dense_weight if encoder is not None else 0.0
        self.spelling = DomainSpelling(references, language_data().number_word, language_data().scored_as)
        references = [self.spelling.reference_text(t) for t in references]
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), norm=None)
        raw = self.vectorizer.fit_transform([fold_accents(t) for t in references])
        self.lexical_refs = l2_normalize(raw).T.tocsc().astype(np.float32)  # (features, refs)
        self.dense_refs = encoder.encode_cached(references) if encoder is not None else None
        # A word holds a dozen n-grams: its lexical row and its dots with every reference are built from
        # the vectorizer's own analyzer and each n-gram's row of reference weights (sklearn's transform and
        # a sparse product took 0.4 ms for one new word).
        self._analyze = self.vectorizer.build_analyzer()
        self._feature_refs = np.ascontiguousarray(self.lexical_refs.toarray())  # (features, refs), about 17 MB
        self.static = _static_table(encoder)
        # "dots" holds, per word, its dot products with every reference: the dense row (static
        # encoders only) and the lexical row, side by side so one gather fetches both.
        refs = self.lexical_refs.shape[1]
        widths = {"lexical": (self.lexical_refs.shape[0],), "dots": (1, refs)}
        if self.static is not None:
            widths |= {"dense": (self.static[1].shape[1],), "dots": (2, refs)}
        self.table = _WordTable(widths)

    # -- per-word features, cached ------------------------------------------------------------

    def prepare(self, words) -> None:
        """Compute and keep the features of every word not seen yet (one batch for many messages)."""
        words = list(words)
        missing = self.table.missing(words)
        if not missing:
            return
        if len(self.table.index) + len(missing) > WORD_CACHE_SIZE:
            # Start over rather than evict: the words of this call must all be there afterwards.
            self.table.clear()
            missing = self.table.missing(words)
        forms = [self.spelling.word(w) for w in missing]
        lexical, lex_dots = self._lexical_rows(forms)
        rows = {"lexical": lexical, "dots": lex_dots[:, None, :]}
        if self.static is not None:
            tokenizer, weights = self.static
            encodings = tokenizer.encode_batch(forms, add_special_tokens=False)
            dense = np.stack([weights[e.ids].sum(axis=0) if e.ids else np.zeros(weights.shape[1], np.float32)
                              for e in encodings])
            rows |= {"dense": dense, "dots": np.stack([dense @ self.dense_refs.T, lex_dots], axis=1)}
        self.table.add(missing, rows)

    def _lexical_rows(self, forms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """TF-IDF rows of the words (raw counts times idf, as the vectorizer computes them) and their dots
        with every reference."""
        vocabulary, idf = self.vectorizer.vocabulary_, self.vectorizer.idf_
        lexical = np.zeros((len(forms), self._feature_refs.shape[0]), dtype=np.float32)
        for i, form in enumerate(forms):
            counts = Counter(g for g in self._analyze(fold_accents(form)) if g in vocabulary)
            if counts:
                ids = np.fromiter((vocabulary[g] for g in counts), dtype=np.intp, count=len(counts))
                lexical[i, ids] = np.fromiter(counts.values(), dtype=np.float64, count=len(counts)) * idf[ids]
        # A sparse row times the dense n-gram rows: each word's sum runs over its own n-grams only, in
        # the same order whether it comes alone or with a thousand others.
        return lexical, np.asarray(csr_matrix(lexical) @ self._feature_refs, dtype=np.float32)

    # -- all spans of one message ---------------------------------------------------------------

    def score(self, words: list[str], spans: list[tuple[int, int]], holes: list[tuple[int, ...]] | None = None) -> np.ndarray:
        """Blended cosine of each (start, end) span of ``words`` with each reference: (spans, refs).

        ``holes``, one tuple per span, names word positions the span leaves out.
        """
        refs = self.lexical_refs.shape[1]
        if not spans:
            return np.zeros((0, refs), dtype=np.float32)
        self.prepare(words)
        ids = self.table.ids(words)
        rows = self.table.rows
        if len(spans) == 1 and not holes and self.static is not None and spans[0] == (0, len(words)):
            return self._score_whole(ids)
        sums_of = _SpanSums(spans, len(words), holes)
        lexical = rows["lexical"][ids]
        dots = rows["dots"][ids]  # (words, parts, refs)
        w = self.dense_weight
        if w == 0.0:
            return sums_of.weighted(sums_of.inverse_lengths([_gram(lexical, rows["lexical"], ids)]), dots[:, -1:])
        if self.static is None:
            lexical_part = sums_of.weighted((1.0 - w) * sums_of.inverse_lengths([_gram(lexical, rows["lexical"], ids)]), dots)
            return w * self._encode_spans(words, spans, holes) + lexical_part
        dense = rows["dense"][ids]
        inverse = sums_of.inverse_lengths([_gram(dense, rows["dense"], ids), _gram(lexical, rows["lexical"], ids)])
        inverse *= np.array([[w], [1.0 - w]], dtype=np.float32)
        return sums_of.weighted(inverse, dots)

    def _score_whole(self, ids: np.ndarray) -> np.ndarray:
        """All the words as one span (a span re-read with its body part): plain sums, no span matrix."""
        rows = self.table.rows
        lexical, dense = rows["lexical"][ids].sum(axis=0), rows["dense"][ids].sum(axis=0)
        dots = rows["dots"][ids].sum(axis=0)  # (parts, refs)
        lengths = np.sqrt(np.array([dense @ dense, lexical @ lexical], dtype=np.float32))
        weights = np.divide(np.array([self.dense_weight, 1.0 - self.dense_weight], dtype=np.float32), lengths,
                            out=np.zeros(2, dtype=np.float32), where=lengths > 1e-6)
        return (weights @ dots)[None, :]

    def _encode_spans(self, words: list[str], spans: list[tuple[int, int]], holes) -> np.ndarray:
        forms = [self.spelling.word(w) for w in words]
        holes = holes or [()] * len(spans)
        texts = [" ".join(forms[i] for i in range(s, e) if i not in gaps) for (s, e), gaps in zip(spans, holes)]
        unique = list(dict.fromkeys(texts))
        vectors = self.encoder.encode(unique) @ self.dense_refs.T
        row = {t: i for i, t in enumerate(unique)}
        return vectors[[row[t] for t in texts]]


def _gram(gathered: np.ndarray, table: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Word-by-word dot products. The right operand is gathered a second time on purpose: numpy
    sends ``a @ a.T`` to BLAS syrk, which for a few rows of 2,000 columns took 23 µs here against
    6 µs for the general product of two arrays (see README, bench)."""
    return gathered @ table[ids].T


class _SpanSums:
    """Sums of word rows over spans, and lengths of the summed vectors.

    Few words (one message): a (spans, words) membership matrix turns it into BLAS products.
    Many words: prefix sums, whose cost does not grow with spans x words.
    """

    def __init__(self, spans: list[tuple[int, int]], n_words: int, holes: list[tuple[int, ...]] | None = None):
        bounds = np.array(spans, dtype=np.intp).reshape(-1, 2)
        self.starts, self.ends = bounds[:, 0], bounds[:, 1]
        self.holes = [(i, gaps) for i, gaps in enumerate(holes or ()) if gaps]
        self.members = None
        if n_words <= MEMBERSHIP_MAX_WORDS:
            positions = np.arange(n_words)
            self.members = ((positions >= self.starts[:, None]) & (positions < self.ends[:, None])).astype(np.float32)
            for i, gaps in self.holes:
                self.members[i, list(gaps)] = 0.0

    def weighted(self, span_weights: np.ndarray, dots: np.ndarray) -> np.ndarray:
        """Sum over parts k of span_weights[k] x (span sum of dots[:, k, :]); span_weights is (parts, spans)."""
        n, parts, refs = dots.shape
        if self.members is not None:
            # One product: (spans, words x parts) weights against (words x parts, refs) rows.
            weights = self.members[:, :, None] * span_weights.T[:, None, :]
            return weights.reshape(-1, n * parts) @ dots.reshape(n * parts, refs)
        out = None
        for k in range(parts):
            prefix = np.zeros((n + 1, refs), dtype=np.float32)
            np.cumsum(dots[:, k, :], axis=0, out=prefix[1:])
            part = prefix[self.ends] - prefix[self.starts]
            for i, gaps in self.holes:
                part[i] -= dots[list(gaps), k, :].sum(axis=0)
            part *= span_weights[k][:, None]
            out = part if out is None else np.add(out, part, out=out)
        return out

    def inverse_lengths(self, grams: list[np.ndarray]) -> np.ndarray:
        """1 / length of each span's summed vector, per word Gram matrix: (grams, spans); 0 where it is zero."""
        if self.members is not None:
            members = self.members
            norms_sq = np.einsum("sw,ksw->ks", members, members @ np.stack(grams))
        else:
            norms_sq = np.stack([self._long_norms_sq(gram) for gram in grams])
        norms = np.sqrt(np.maximum(norms_sq, 0.0), dtype=np.float32)
        return np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 1e-6)

    def _long_norms_sq(self, gram: np.ndarray) -> np.ndarray:
        n = gram.shape[0]
        block = np.zeros((n + 1, n + 1), dtype=np.float64)
        block[1:, 1:] = np.cumsum(np.cumsum(gram, axis=0), axis=1)
        s, e = self.starts, self.ends
        norms_sq = block[e, e] - block[s, e] - block[e, s] + block[s, s]
        for i, gaps in self.holes:
            kept = [p for p in range(s[i], e[i]) if p not in gaps]
            norms_sq[i] = gram[np.ix_(kept, kept)].sum()
        return norms_sq
