from bot.spelling import DomainSpelling

REFERENCES = ["cá có đốm trắng trên da", "mang cá bị thối", "cá chết mấy con", "nấm trắng như bông", "mat ca duc"]


def spelling():
    return DomainSpelling(REFERENCES, "mấy")


def test_counts_in_digits_read_as_the_number_word():
    s = spelling()
    assert s.word("15") == "mấy"
    assert s.word("1.000") == "mấy"
    assert s.word("4h") == "4h"  # a time, not a count
    assert s.reference_text("chết 30 con") == "chết mấy con"


def test_wrong_tone_mark_read_as_the_reference_word():
    s = spelling()
    assert s.word("đóm") == "đốm"
    assert s.word("nắm") == "nấm"


def test_known_and_accent_free_words_are_left_alone():
    s = spelling()
    assert s.word("đốm") == "đốm"
    assert s.word("mắt") == "mắt"  # only "mat" without marks is known: nothing to correct it to
    assert s.word("dom") == "dom"
    assert s.word("bơi") == "bơi"  # no reference word folds to "boi"


def test_dropped_letter_put_back_only_when_unambiguous():
    s = spelling()
    assert s.word("trắg") == "trắng"
    assert s.word("thố") == "thố"  # too short to guess
    assert s.word("mag") == "mag"  # typed without marks: left to the encoder


def test_unknown_word_unchanged():
    assert spelling().word("xyzw") == "xyzw"


def test_several_candidates_fall_back_to_the_unmarked_form():
    s = DomainSpelling(["bong bóng khí", "nấm bông trắng", "bóng khí"], "mấy")
    assert s.word("bọng") == "bong"


def test_the_typed_tone_mark_picks_among_words_that_fold_alike():
    s = DomainSpelling(["bụng chướng to", "cá trong chuồng"], "mấy")
    assert s.word("chuớng") == "chướng"  # hat missing, tone kept
    assert s.word("chuỗng") == "chuong"  # neither tone fits


def test_southern_sound_alike_letters():
    s = DomainSpelling(["hậu môn sưng đỏ", "da có nhiều nhớt", "xuất huyết", "bụng chướng"], "mấy")
    assert s.word("xưng") == "sưng"
    assert s.word("nhớc") == "nhớt"
    assert s.word("huyếc") == "huyết"
    assert s.word("bụn") == "bụng"
    assert s.word("xung") == "xung"  # typed without marks: left to the encoder


def test_only_tone_slips_farmers_make_are_rewritten():
    s = DomainSpelling(["lở loét thủng da", "cá bỏ ăn"], "mấy")
    assert s.word("bõ") == "bỏ"  # hỏi and ngã sound the same in the South
    assert s.word("thúng") != "thủng"  # a basket, not a hole


def test_glued_words_are_split_into_reference_syllables():
    s = DomainSpelling(["cá bỏ ăn", "cá nổi đầu", "cá ho"], "mấy")
    assert s.unglue(["ca", "boan", "noidau"]) == ["ca", "bo", "an", "noi", "dau"]
    assert s.unglue(["nổiđầu"]) == ["nổi", "đầu"]  # marks kept
    assert s.unglue(["hoan"]) == ["hoan"]  # a Vietnamese syllable of its own, though "ho" + "an" fit
    assert s.unglue(["bỏ", "ăn"]) == ["bỏ", "ăn"]
    assert s.unglue(["dipterex", "15"]) == ["dipterex", "15"]
