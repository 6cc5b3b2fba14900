import unicodedata

import pytest

from bot.normalize import MAX_CHARS, fold_accents, normalize_text


@pytest.mark.parametrize(
    "raw, expected",
    [
        (unicodedata.normalize("NFD", "cá nổi đầu"), "cá nổi đầu"),  # NFD input
        ("Cá NỔI ĐẦU", "cá nổi đầu"),  # case
        ("hoà thuý khoẻ", "hòa thúy khỏe"),  # new-style tone placement unified
        ("n\u200bổi đ\ufeffầu\u200c", "nổi đầu"),  # zero-width characters
        ("cá chết 😭😭 nhiều 🐟", "cá chết nhiều"),  # emoji
        ("cá bỏ ăn!!!!!", "cá bỏ ăn!"),  # repeated punctuation
        ("nhiềuuuuu quáaaa", "nhiều quá"),  # repeated letters
        ("ko ăn j hết", "không ăn gì hết"),  # teencode
        ("cá hok ăn, nc dơ wá", "cá không ăn, nước dơ quá"),
        ("mấy bữa nay cá hổng chịu ăn", "mấy bữa nay cá không chịu ăn"),
        ("cá nhìu con dc 2 kg", "cá nhiều con được 2 kg"),
        ("chết 15 con, 0,5 kg", "chết 15 con, 0,5 kg"),  # numbers kept
        ("xoong", "xoong"),  # the one real double letter stays
        ("cá hông ăn, lở bên hông", "cá không ăn, lở bên hông"),  # "hông": not, or the flank
        ("Hông cá đỏ au", "hông cá đỏ au"),
    ],
)
def test_normalize_cases(raw, expected):
    assert normalize_text(raw) == expected


def test_fold_accents_removes_every_mark():
    assert fold_accents("cá nổi đầu, mang thối") == "ca noi dau, mang thoi"


def test_unaccented_hong_before_a_verb_means_khong_but_not_in_names():
    assert normalize_text("mang hong") == "mang hồng"
    assert normalize_text("ca dieu hong an it") == "ca điêu hồng an it"
    assert normalize_text("hong thay ran") == "không thấy ran"


@pytest.mark.parametrize("junk", [None, "", "   ", "😀😀😀", "12345 678", b"\xff\xfe\x00binary", "\x00\x01\x02", "a" * 10_000])
def test_bad_input_never_raises(junk):
    out = normalize_text(junk)
    assert isinstance(out, str)
    assert len(out) <= MAX_CHARS


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Bot ơi cho hỏi", "bạn ơi cho hỏi"),
        ("cam on bot nhieu", "cam on bạn nhieu"),
        ("hôm nay có nắng không bot?", "hôm nay có nắng không bạn?"),
        # Typed without marks, "bot" next to a bubble word is "bọt": it stays.
        ("ro phi co bot khi o vay", "ro phi co bot khi o vay"),
        ("mat ca phong bot", "mat ca phong bot"),
    ],
)
def test_the_bots_name_is_not_read_as_bubbles(raw, expected):
    assert normalize_text(raw) == expected


def test_domain_shorthand():
    assert normalize_text("ca bi xh o mieng") == "ca bi xuất huyết o mieng"
    assert normalize_text("mag ca tai") == "mang ca tai"
    assert normalize_text("mổ bụng ra thấy gan sưng") == "mổ ra thấy gan sưng"


def test_ko_bt_is_khong_biet():
    assert normalize_text("ko bt bi j") == "không biết bi gì" and normalize_text("ca an bt") == "ca an bình thường"


def test_sizes_and_cement():
    assert normalize_text("cá giống 3 phân, nuôi bể xi mang") == "cá giống 3 cm, nuôi bể xi măng"


def test_a_number_glued_to_a_word_is_split_but_units_and_hours_stay():
    assert normalize_text("chet 10con, 3ngay nay") == "chet 10 con, 3 ngay nay"
    assert normalize_text("4h sáng, bể 2m2") == "4h sáng, bể 2m2"


@pytest.mark.parametrize(
    "raw, expected",
    [
        # Typed in Telex with no Vietnamese keyboard on: tone letters at the end, doubled vowels, dd, aw.
        ("cas rooj phi awn its", "cá rộ phi ăn ít"),
        ("ddaauf cas ddor", "đầu cá đỏ"),
        # A word that is a syllable as typed stays ("mang").
        ("mang cas nhotj", "mang cá nhọt"),
        # A doubled letter typed again and again is squeezed first ("chếtt").
        ("cas chetss", "cá chét"),
        # One such word alone is a name, not Telex: the feed brand stays.
        ("cám de heus tốt không", "cám de heus tốt không"),
        ("mua bình gas", "mua bình gas"),
    ],
)
def test_telex_typed_words_are_read_when_two_or_more_are(raw, expected):
    assert normalize_text(raw) == expected


def test_begin_is_left_out_without_joining_its_neighbours():
    assert normalize_text("cá bắt đầu chết") == "cá chết"
    # "2 phân" would be a size (2 cm); with "bắt đầu" between, "2" is the pond's number.
    assert normalize_text("ao 2 bắt đầu phân trắng") == "ao 2 phân trắng"
    assert normalize_text("ca bat dau noi dom") == "ca noi dom"


def test_more_teencode():
    assert normalize_text("ca hog an") == "ca không an"
    assert normalize_text("hum wa ca noi dau wa") == "hôm qua ca noi dau quá"
    assert normalize_text("co fai do nuoc") == "có phải do nước"
