"""Span scores equal the cosine of each span typed alone, on both code paths and across cache resets."""

import numpy as np
from sklearn.preprocessing import normalize as l2_normalize

import bot.scoring as scoring
from bot.normalize import fold_accents

REFERENCES = ["cá nổi đầu", "mang cá bị thối", "cá bỏ ăn mấy bữa", "da cá có đốm trắng"]
WORDS = "sáng nay cá nổi đầu rồi bỏ ăn".split()
SPANS = [(2, 5), (0, 2), (5, 8), (3, 8)]


def expected(scorer, words, spans):
    texts = [fold_accents(" ".join(scorer.spelling.word(w) for w in words[s:e])) for s, e in spans]
    vectors = l2_normalize(scorer.vectorizer.transform(texts)).astype(np.float32)
    return np.asarray((vectors @ scorer.lexical_refs).todense())


def test_membership_and_prefix_paths_agree_with_direct_cosines(monkeypatch):
    scorer = scoring.SpanScorer(REFERENCES, None, 0.0)
    direct = expected(scorer, WORDS, SPANS)
    assert np.allclose(scorer.score(WORDS, SPANS), direct, atol=1e-5)
    monkeypatch.setattr(scoring, "MEMBERSHIP_MAX_WORDS", 0)
    assert np.allclose(scorer.score(WORDS, SPANS), direct, atol=1e-5)
    assert scorer.score(WORDS, []).shape == (0, len(REFERENCES))


def test_word_table_starts_over_without_losing_the_current_words(monkeypatch):
    monkeypatch.setattr(scoring, "WORD_CACHE_SIZE", 5)
    scorer = scoring.SpanScorer(REFERENCES, None, 0.0)
    first = scorer.score(WORDS[:4], [(0, 4)])
    # Eight distinct words cannot fit in five rows: the table starts over and still scores them all.
    scores = scorer.score(WORDS, SPANS)
    assert np.allclose(scores, expected(scorer, WORDS, SPANS), atol=1e-5)
    assert np.allclose(scorer.score(WORDS[:4], [(0, 4)]), first, atol=1e-5)
    assert len(scorer.table.index) <= 8


def test_span_with_holes_scores_like_the_words_it_keeps(monkeypatch):
    scorer = scoring.SpanScorer(REFERENCES, None, 0.0)
    words = "mang cá không bị thối".split()
    kept = [w for w in words if w != "không"]
    direct = expected(scorer, kept, [(0, len(kept))])
    for path_limit in (64, 0):  # membership matrix, then prefix sums
        monkeypatch.setattr(scoring, "MEMBERSHIP_MAX_WORDS", path_limit)
        scores = scorer.score(words, [(0, 5), (0, 5)], [(), (2,)])
        assert np.allclose(scores[1], direct[0], atol=1e-5)
        assert not np.allclose(scores[0], scores[1], atol=1e-3)


def test_scoring_process_runs_blas_on_one_thread():
    # Threaded BLAS on matrices of a few dozen rows only adds hand-offs (README, bench); the limit is
    # set once for the process when a scorer is built, not around every message.
    from threadpoolctl import ThreadpoolController

    scoring.SpanScorer(REFERENCES, None, 0.0)
    blas = ThreadpoolController().select(user_api="blas").lib_controllers
    assert blas and all(lib.num_threads == 1 for lib in blas)


def test_word_rows_are_the_vectorizers_own():
    # A new word's TF-IDF row is built from the vectorizer's analyzer, not its transform(): it must be
    # exactly the row transform() gives, and its dots with the references those of the sparse product.
    scorer = scoring.SpanScorer(REFERENCES, None, 0.0)
    forms = ["cá", "nổi", "đầu", "xyz", "trắng", "ca", ""]
    lexical, dots = scorer._lexical_rows(forms)
    expected = scorer.vectorizer.transform([fold_accents(f) for f in forms]).astype(np.float32)
    assert np.array_equal(lexical, expected.toarray())
    assert np.allclose(dots, (expected.tocsr() @ scorer.lexical_refs).toarray(), atol=1e-6)
