"""Accent-insensitive lexical similarity: character n-gram TF-IDF over accent-folded text.

It catches the farmer's exact wording and typos even when the dense model is unsure, and it
treats "ca noi dau" and "cá nổi đầu" alike because both sides are folded before vectorizing.
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.normalize import fold_accents


class LexicalIndex:
    def __init__(self, references: list[str]):
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform([fold_accents(t) for t in references])

    def similarity(self, queries: list[str]) -> np.ndarray:
        """Cosine similarity of each query to each reference, shape (queries, references)."""
        if not queries:
            return np.zeros((0, self.matrix.shape[0]), dtype=np.float32)
        q = self.vectorizer.transform([fold_accents(t) for t in queries])
        # TF-IDF rows are L2-normalized, so the dot product is the cosine.
        return np.asarray((q @ self.matrix.T).toarray(), dtype=np.float32)
