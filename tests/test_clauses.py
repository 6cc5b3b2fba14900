from bot.clauses import count_negations, split_clauses
from bot.normalize import normalize_text


def clauses(text):
    return [" ".join(c) for c in split_clauses(normalize_text(text))]


def test_split_on_punctuation_and_conjunctions():
    assert clauses("cá bỏ ăn, bơi lờ đờ, mổ ra gan có đốm trắng") == ["cá bỏ ăn", "bơi lờ đờ", "mổ ra gan có đốm trắng"]
    assert clauses("cá không nổi đầu nhưng bỏ ăn") == ["cá không nổi đầu", "bỏ ăn"]
    assert clauses("ca khong noi dau nhung bo an") == ["ca không noi dau", "bo an"]


def test_numbers_with_commas_stay_in_one_clause():
    assert clauses("tạt 0,5 kg muối") == ["tạt 0,5 kg muối"]


def test_negation_cues_with_and_without_diacritics():
    assert count_negations("cá không nổi đầu".split()) == 1
    assert count_negations(normalize_text("ca ko noi dau").split()) == 1
    assert count_negations("ca chua chet".split()) == 1
    assert count_negations("nước chúa".split()) == 0
    assert count_negations("cá đâu có chết".split()) == 1
    assert count_negations("cá nổi đầu".split()) == 0


def test_con_after_a_negation_or_still_stays_in_the_clause():
    # "không còn" is "no longer" and "vẫn còn" "still"; elsewhere "còn" (as for) starts a clause.
    assert split_clauses(normalize_text("cá không còn nổi đầu")) == [["cá", "không", "còn", "nổi", "đầu"]]
    assert split_clauses(normalize_text("mắt vẫn còn lồi")) == [["mắt", "vẫn", "còn", "lồi"]]
    assert split_clauses(normalize_text("cá bỏ ăn còn mang thì nhợt")) == [["cá", "bỏ", "ăn"], ["mang", "thì", "nhợt"]]


def test_a_slash_between_words_splits_them_but_not_a_fraction():
    assert split_clauses("chet 2 3 con/ngay, an 1/2 bao") == [["chet", "2", "3", "con", "ngay"], ["an", "1/2", "bao"]]


def test_gio_opens_what_is_true_now_but_not_a_time_of_day():
    assert split_clauses(normalize_text("lúc đầu nó cọ mình giờ hết cọ rồi")) == [["lúc-đầu", "nó", "cọ", "mình"], ["giờ", "hết", "cọ"]]
    assert split_clauses(normalize_text("4 giờ sáng cá nổi đầu tới giờ")) == [["4", "giờ", "sáng", "cá", "nổi", "đầu", "tới", "giờ"]]
