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

from collections import OrderedDict

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as l2_normalize

from bot.encoder import Encoder
from bot.language import language_data
from bot.normalize import fold_accents
from bot.spelling import DomainSpelling

# Per-word features are cached; a farmer vocabulary is a few thousand words, so this bounds memory
# (each entry holds a dense n-gram row of a few thousand floats) without evicting in practice.
WORD_CACHE_SIZE = 20_000


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


class SpanScorer:
    def __init__(self, references: list[str], encoder: Encoder | None, dense_weight: float):
        self.encoder = encoder
        self.dense_weight = dense_weight if encoder is not None else 0.0
        self.spelling = DomainSpelling(references, language_data().number_word)
        references = [self.spelling.reference_text(t) for t in references]
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), norm=None)
        raw = self.vectorizer.fit_transform([fold_accents(t) for t in references])
        self.lexical_refs = l2_normalize(raw).T.tocsc().astype(np.float32)  # (features, refs)
        self.dense_refs = encoder.encode_cached(references) if encoder is not None else None
        self.static = _static_table(encoder)
        self._words: OrderedDict[str, tuple] = OrderedDict()

    # -- per-word features, cached ------------------------------------------------------------

    def _word_features(self, words: list[str]) -> list[tuple]:
        missing = [w for w in dict.fromkeys(words) if w not in self._words]
        if missing:
            forms = [self.spelling.word(w) for w in missing]
            lexical = self.vectorizer.transform([fold_accents(w) for w in forms]).astype(np.float32).tocsr()
            lex_dots = np.asarray((lexical @ self.lexical_refs).todense(), dtype=np.float32)
            lexical = lexical.toarray()  # dense rows: the per-message Gram matrix is then one small matmul
            dense = self._dense_word_sums(forms)
            for i, word in enumerate(missing):
                dense_vec = dense[i] if dense is not None else None
                dense_dots = dense_vec @ self.dense_refs.T if dense_vec is not None else None
                self._words[word] = (lexical[i], lex_dots[i], dense_vec, dense_dots)
            while len(self._words) > WORD_CACHE_SIZE:
                self._words.popitem(last=False)
        return [self._words[w] for w in words]

    def _dense_word_sums(self, words: list[str]) -> np.ndarray | None:
        if self.static is None:
            return None
        tokenizer, table = self.static
        encodings = tokenizer.encode_batch(words, add_special_tokens=False)
        return np.stack([table[e.ids].sum(axis=0) if e.ids else np.zeros(table.shape[1], np.float32) for e in encodings])

    # -- all spans of one message ---------------------------------------------------------------

    def score(self, words: list[str], spans: list[tuple[int, int]]) -> np.ndarray:
        """Blended cosine of each (start, end) span of ``words`` with each reference: (spans, refs)."""
        refs = self.lexical_refs.shape[1]
        if not spans:
            return np.zeros((0, refs), dtype=np.float32)
        features = self._word_features(words)
        sums_of = _SpanSums(spans, len(words))
        rows = np.stack([f[0] for f in features])
        lex_norms = sums_of.norms(rows @ rows.T)
        w = self.dense_weight
        if w == 0.0:
            return sums_of(np.stack([f[1] for f in features])) / lex_norms[:, None]
        if self.static is None:
            lexical = sums_of(np.stack([f[1] for f in features])) / lex_norms[:, None]
            return w * self._encode_spans(words, spans) + (1.0 - w) * lexical
        # One pass over [dense dots | lexical dots], each half divided by its own norms.
        vectors = np.stack([f[2] for f in features])
        dense_norms = sums_of.norms(vectors @ vectors.T)
        both = np.concatenate([np.stack([f[3] for f in features]), np.stack([f[1] for f in features])], axis=1)
        sums = sums_of(both)
        out = sums[:, :refs] * (w / dense_norms)[:, None]
        out += sums[:, refs:] * ((1.0 - w) / lex_norms)[:, None]
        return out

    def _encode_spans(self, words: list[str], spans: list[tuple[int, int]]) -> np.ndarray:
        forms = [self.spelling.word(w) for w in words]
        texts = [" ".join(forms[s:e]) for s, e in spans]
        unique = list(dict.fromkeys(texts))
        vectors = self.encoder.encode(unique) @ self.dense_refs.T
        row = {t: i for i, t in enumerate(unique)}
        return vectors[[row[t] for t in texts]]


class _SpanSums:
    """Sums of word rows over spans, and lengths of the summed vectors.

    Few words (one message): a (spans, words) membership matrix turns it into one BLAS product.
    Many words (a batch of messages): prefix sums, whose cost does not grow with spans × words.
    """

    MEMBERSHIP_MAX_WORDS = 48

    def __init__(self, spans: list[tuple[int, int]], n_words: int):
        self.starts = np.array([s for s, _ in spans])
        self.ends = np.array([e for _, e in spans])
        self.members = None
        if n_words <= self.MEMBERSHIP_MAX_WORDS:
            self.members = np.zeros((len(spans), n_words), dtype=np.float32)
            for i, (start, end) in enumerate(spans):
                self.members[i, start:end] = 1.0

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        if self.members is not None:
            return self.members @ rows
        prefix = np.zeros((rows.shape[0] + 1, rows.shape[1]), dtype=np.float32)
        np.cumsum(rows, axis=0, out=prefix[1:])
        return prefix[self.ends] - prefix[self.starts]

    def norms(self, gram: np.ndarray) -> np.ndarray:
        """Length of each span's summed vector from the word Gram matrix; inf where it is zero."""
        if self.members is not None:
            norms_sq = np.einsum("sw,sw->s", self.members @ gram.astype(np.float32), self.members)
        else:
            n = gram.shape[0]
            block = np.zeros((n + 1, n + 1), dtype=np.float64)
            block[1:, 1:] = np.cumsum(np.cumsum(gram, axis=0), axis=1)
            s, e = self.starts, self.ends
            norms_sq = block[e, e] - block[s, e] - block[e, s] + block[s, s]
        norms = np.sqrt(np.clip(norms_sq, 0.0, None))
        return np.where(norms > 1e-6, norms, np.inf).astype(np.float32)
