"""Understanding messages with the shipped model: signs, negation, chit-chat, bad input."""

from pathlib import Path

import pytest


def signs(pipeline, text):
    u = pipeline.understand_many([text])[0]
    return set(u.present()), set(u.absent())


@pytest.mark.parametrize(
    "text, present, absent",
    [
        ("cá không nổi đầu nhưng bỏ ăn", {"bo_an"}, {"noi_dau"}),
        ("ca khong noi dau nhung bo an", {"bo_an"}, {"noi_dau"}),
        ("cá vẫn ăn bình thường", set(), {"bo_an"}),
        ("ca ko chet con nao", set(), {"chet_nhieu"}),
        ("chưa thấy con nào chết, mà cá nổi đầu", {"noi_dau"}, {"chet_nhieu"}),
        ("cá không ăn", {"bo_an"}, set()),  # "không ăn" is the sign itself, not a denial
        ("ao tui hông nổi đầu, hông chết", set(), {"noi_dau", "chet_nhieu"}),
        ("chẳng thấy con nào lật nghiêng hết", set(), {"boi_bat_thuong"}),
        # The organ named in the clause before decides where the spots are.
        ("mổ coi gan thận thì sạch, không có đốm trắng", set(), {"dom_trang_noi_tang"}),
        # A cue in the middle of the sign's words: read as if it were not there, then counted.
        ("mang cá hổng có bị thối gì hết", set(), {"mang_thoi"}),
        ("mắt tụi nó không có lồi, cũng không đục", set(), {"mat_loi", "mat_duc"}),
        # A cue that closes a span belongs to what comes after it.
        ("cá bơi lờ đờ không chịu ăn", {"boi_lo_do", "bo_an"}, set()),
        # One negation before a list reaches every sign in it.
        ("chưa thấy nấm bông hay lở loét gì", set(), {"nam_bong", "lo_loet"}),
        # "Normal" states deny the sign.
        ("ăn vẫn bình thường, có điều phân trắng", {"phan_trang"}, {"bo_an"}),
        # A clause that names the fish itself does not borrow the part named before it.
        ("phân trắng dài, cá vẫn ăn tốt", {"phan_trang"}, {"bo_an"}),
        # "hết" right before a sign: it is over. After it, "hết" is "all of them".
        ("cá rô phi hết lở loét rồi, mà còn bơi lờ đờ", {"boi_lo_do"}, {"lo_loet"}),
        ("sau đó cá hết cọ mình, giờ bỏ ăn", {"bo_an"}, {"co_than"}),
        # A negation that closes the clause, after the sign.
        ("cái vụ cá nổi đầu á thì không có, chỉ thấy ăn yếu", {"bo_an"}, {"noi_dau"}),
        ("có nổi đầu đâu, tụi nó bơi lờ đờ thôi", {"boi_lo_do"}, {"noi_dau"}),
        # The last word on a sign stands: told in order, yesterday's sign may be over today.
        ("hôm qua cá nổi đầu dữ lắm, sáng nay hết nổi đầu rồi, mà bỏ ăn", {"bo_an"}, {"noi_dau"}),
        ("tuần trước không thấy đốm trắng, nay thấy có đốm trắng trên da", {"dom_trang_da"}, set()),
        ("tuần trước cá cọ mình quá trời, giờ hết cọ rồi, mà bỏ ăn", {"bo_an"}, {"co_than"}),
        # Told again in fewer words, the sign is the same one: "hết nổi" after "nổi đầu".
        ("hôm kia cá nổi đầu quá trời, nay hết nổi rồi, mà bỏ ăn", {"bo_an"}, {"noi_dau"}),
        # ... but other fish are not a change of mind.
        ("cá bỏ ăn, mấy con khác thì không bỏ ăn", {"bo_an"}, set()),
        # Words typed together.
        ("ca tra boan, noidau tu sang", {"bo_an", "noi_dau"}, set()),
        # "không biết" starts like a negation but denies nothing.
        ("hổng biết sao cá cứ phóng lên mặt nước", {"co_than"}, set()),
        ("ko bit sao ca cu phong len mat nuoc", {"co_than"}, set()),
        # More ways to deny: "chả", "làm gì có", and "thì không" closing the clause.
        ("mắt chả lồi gì, mà bụng chướng", {"bung_truong"}, {"mat_loi"}),
        ("làm gì có rận, chỉ thấy cá cọ mình", {"co_than"}, {"ky_sinh_bam"}),
        ("bỏ ăn thì không, chỉ nổi đầu", {"noi_dau"}, {"bo_an"}),
        # Denied, a sign's own example wins over an "absent" example that only looks alike ("phân cứng").
        ("bung khong to, phan cung dau co trang", set(), {"bung_truong", "phan_trang"}),
        # "hết rồi" after a thing a sign is named by: the thing is gone.
        ("đốm trắng trên da hết rồi, giờ cá cọ mình", {"co_than"}, {"dom_trang_da"}),
        ("phân trắng hết rồi, giờ chỉ bỏ ăn", {"bo_an"}, {"phan_trang"}),
        # "không khí" is the air, not a negation; accent-free "co minh" is "cọ mình".
        ("cá ngoi lên mặt nước đớp không khí", {"noi_dau"}, set()),
        ("cá nổi đầu đớp không khí liên tục", {"noi_dau"}, set()),
        ("ca ro het co minh roi, gio boi lo do", {"boi_lo_do"}, {"co_than"}),
        # "không muốn bơi" (won't swim) is a sign of its own, not a denial.
        ("cá trê yếu, không muốn bơi", {"boi_lo_do"}, set()),
        # A short clause naming no part goes on about the part named before it.
        ("mang không nâu, cũng không thối", set(), {"mang_nau", "mang_thoi"}),
        ("mat ca ko co duc, ko co loi", set(), {"mat_duc", "mat_loi"}),
        ("vây còn lành, không rách, mà cá bỏ ăn", {"bo_an"}, {"thoi_vay_duoi"}),
        # "không thấy đỡ" is "not better": the spots are still there.
        ("cá có đốm đỏ trên lưng, tắm muối rồi, không thấy đỡ", {"xuat_huyet"}, set()),
    ],
)
def test_negation(pipeline, text, present, absent):
    got_present, got_absent = signs(pipeline, text)
    assert present <= got_present
    assert absent <= got_absent
    assert not (absent & got_present)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ca noi dau tu sang som", {"noi_dau"}),
        ("mấy bữa nay cá hổng chịu ăn", {"bo_an"}),
        ("cá bỏ ăn, bơi lờ đờ, mổ ra gan có đốm trắng", {"bo_an", "boi_lo_do", "dom_trang_noi_tang"}),
        ("cá tra bị trắng đuôi, mang thối", {"thoi_vay_duoi", "mang_thoi"}),
        ("ro phi mat loi boi xoay tron", {"mat_loi", "boi_bat_thuong"}),
        ("hậu môn không đỏ, mà cá ăn ít", {"bo_an"}),
        # "rồi" strings events together: each is read on its own.
        ("con nào cũng bơi lờ đờ rồi chết", {"boi_lo_do", "chet_nhieu"}),
        # Southern spelling of the sounds s/x and final t/c.
        ("hậu môn xưng đỏ, da nhớc nhiều", {"hau_mon_do", "nhot_nhieu"}),
        # Accent-free pairs read as one phrase: "tai cho" is "tại chỗ" (in place), not pale gills.
        ("ro phi boi xoay tron tai cho", {"boi_bat_thuong"}),
        ("ca co minh vo be lien tuc", {"co_than"}),
        # Without marks "cha" is "chà" (rubbing), not the negation "chả".
        ("ca ro cha minh vo bo hoai", {"co_than"}),
        # "Chết rồi" opening a message is "oh no"; fish dying are still read after it.
        ("chết rồi anh ơi, cá chết nổi trắng ao", {"chet_nhieu"}),
        # Prevention talk after the sign does not hide the sign told before it.
        ("cá bị xuất huyết, phòng cho ao khác sao", {"xuat_huyet"}),
        # ... but "hết cả mình" is all over the body.
        ("cá có đốm đỏ hết cả mình", {"xuat_huyet"}),
        # Small words inside a sign's words do not hide it.
        ("mang tụi nó hơi bị nhợt", {"mang_nhot"}),
        ("cá ăn cũng ít lắm", {"bo_an"}),
        # Short: "ăn ít" alone is eating less; "vẫn ăn ít" too.
        ("cá lóc lờ đờ, ăn ít", {"bo_an", "boi_lo_do"}),
        ("ca ro phi van an it", {"bo_an"}),
    ],
)
def test_signs_found(pipeline, text, expected):
    assert expected <= signs(pipeline, text)[0]


@pytest.mark.parametrize(
    "text, expected, not_expected",
    [
        # A located sign is not read where the clause names another body part ...
        ("mắt cá bình thường, mà hậu môn sưng lòi ra", {"hau_mon_do"}, {"mat_loi"}),
        ("mổ bụng thấy gan với thận có chấm trắng", {"dom_trang_noi_tang"}, {"dom_trang_da"}),
        ("mang tụi nó rách tươm hết", set(), {"thoi_vay_duoi"}),
        # ... nor in a clause that goes on about the part an earlier clause named.
        ("mang cá tái nhợt, trắng bệch luôn", {"mang_nhot"}, {"doi_mau_da"}),
        # Two parts, two signs; an accent-free word that may be a part ("mat") keeps its own reading.
        ("cá lồi mắt bụng chướng to", {"mat_loi", "bung_truong"}, set()),
        ("bung to, mat loi", {"bung_truong", "mat_loi"}, set()),
        # In its own clause a span is read from the part named before it: feces floating are not
        # dead fish, patchy skin colour is not an ulcer, a protruding vent is not a bulging eye.
        ("phân cá trắng nổi lềnh bềnh khắp ao", {"phan_trang"}, {"chet_nhieu"}),
        ("da cá bạc màu loang lổ từng mảng", {"doi_mau_da"}, {"lo_loet"}),
        ("lỗ đít đỏ au, lồi ra", {"hau_mon_do"}, {"mat_loi"}),
        ("ro phi boi xoay tron tai cho", {"boi_bat_thuong"}, {"mang_nhot"}),
        # A clause about the water names the water's colour, not a located sign's.
        ("nước ao đục ngầu, cá lồi mắt", {"mat_loi"}, {"mat_duc"}),
        # ... unless the sign's own examples tell it in the water (slime the fish shed).
        ("nước ao nổi váng nhớt cá nhiều lắm", {"nhot_nhieu"}, set()),
        # A clause about the water does not go on about the skin named before it.
        ("da cá tiết nhớt, nước ao nổi bọt", {"nhot_nhieu"}, {"bong_khi"}),
    ],
)
def test_body_parts(pipeline, text, expected, not_expected):
    present = signs(pipeline, text)[0]
    assert expected <= present
    assert not (not_expected & present)


@pytest.mark.parametrize(
    "text",
    ["chào anh", "xin chào bot", "bot ơi bot ngủ chưa", "thoi tiet mai sao vay", "thời tiết dạo này thất thường quá", "mai có mưa không bot", "mua thuc an o dau re", "giá cá tra hôm nay bao nhiêu", "cá tra xuất khẩu năm nay được giá không", "em ở Cà Mau, mua men vi sinh chỗ nào rẻ", "ca tre an cam vien ngay 2 cu", "mai trời mưa không", "cảm ơn em nhiều", "ok", "haha vui quá", "tình hình là vậy đó anh", "vắc xin phòng xuất huyết cho cá trắm bán ở đâu", "làm sao phòng bệnh trắng đuôi cho cá lóc", "nước ao chuyển màu nâu đỏ là sao anh", "ca tra xuat khau nam nay gia cao khong", "mưa lớn tràn bờ, cá lội ra ngoài hết", "trời lạnh có nên ngưng cho cá ăn không", "có nên giảm bớt lượng thức ăn không anh",
     "chết rồi, em quên mua vôi"],
)
def test_out_of_domain_has_no_sign(pipeline, text):
    present, absent = signs(pipeline, text)
    assert present == set() and absent == set()


def test_species_detected(pipeline):
    assert pipeline.understand_many(["cá tra bỏ ăn"])[0].species == "ca_tra"
    assert pipeline.understand_many(["ro phi mat loi"])[0].species == "ro_phi"


@pytest.mark.parametrize("junk", ["", "   ", "x" * 10_000, "cá bỏ ăn " * 2000, "\x00\xff\ufffd", "😀😀😀😀", "1234567890", "!!!???..."])
def test_bad_input_gives_well_formed_result(pipeline, junk):
    [analysis] = pipeline.analyze_many([junk])
    assert isinstance(analysis.understanding.normalized, str)
    assert isinstance(analysis.understanding.symptoms, list)


@pytest.mark.parametrize(
    "text, condition, kind, present, not_present",
    [
        # Asking what a disease is: its name is not a sign the farmer saw.
        ("Làm sao biết cá bị gan thận mủ?", "gan_than_mu", "about", set(), {"dom_trang_noi_tang"}),
        ("lam sao biet ca bi gan than mu", "gan_than_mu", "about", set(), {"dom_trang_noi_tang"}),
        ("cá bỏ ăn, có phải bị gan thận mủ không", "gan_than_mu", "about", {"bo_an"}, {"dom_trang_noi_tang"}),
        ("trùng bánh xe là gì vậy?", "trung_banh_xe", "about", set(), set()),
        ("cá rô phi nổi đầu, bị thiếu oxy hả anh", "thieu_oxy", "about", {"noi_dau"}, set()),
        # Asking how to treat it: the farmer says the fish have it.
        ("cá bị gan thận mủ rồi, chữa sao", "gan_than_mu", "treat", {"dom_trang_noi_tang"}, set()),
    ],
)
def test_question_about_a_disease(pipeline, text, condition, kind, present, not_present):
    u = pipeline.understand_many([text])[0]
    assert u.question is not None and u.question.conditions[0] == condition and u.question.kind == kind
    assert present <= set(u.present()) and not (not_present & set(u.present()))
    assert not u.unmatched


@pytest.mark.parametrize("text", ["cá nhà em bị gan thận mủ", "cá có đốm đỏ trên da, chữa sao", "cá nổi đầu là sao?"])
def test_no_disease_named_or_no_question(pipeline, text):
    # A statement is not a question; a sign ("đốm đỏ") is not a disease name.
    assert pipeline.understand_many([text])[0].question is None


def test_all_of_them_and_questions_are_not_denials(pipeline):
    assert "chet_nhieu" in signs(pipeline, "cá chết hết trơn rồi")[0]
    assert "noi_dau" in signs(pipeline, "cá có nổi đầu không anh")[0]


@pytest.mark.parametrize(
    "text, animal",
    [("Gà nhà em bị khò khè, bỏ ăn mấy bữa nay", "gà"), ("tom the bi dom trang tren vo", "tom"), ("ếch bị đỏ chân, chết nhiều", "ếch")],
)
def test_other_animals_are_not_read_as_fish(pipeline, text, animal):
    u = pipeline.understand_many([text])[0]
    assert u.symptoms == [] and u.other_animal == animal and not u.unmatched


def test_fish_named_beside_another_animal_is_read(pipeline):
    assert "bo_an" in signs(pipeline, "nuôi tôm xen cá, mấy bữa nay cá bỏ ăn")[0]


@pytest.mark.parametrize("text", ["cá lờ đờ, lấy vợt vớt cũng được", "cá vẫn được, mà mang nhợt"])
def test_ok_words_alone_do_not_deny_off_feed(pipeline, text):
    # "cũng được", "vẫn được" (it's fine) say nothing about eating unless "ăn" is there.
    assert "bo_an" not in signs(pipeline, text)[1]


def test_only_frame_closes_with_thoi_not_rotten(pipeline):
    # "chi ... thoi" is "chỉ ... thôi" (only), not rotten fins.
    present = signs(pipeline, "ca tre khong bo an, chi bi troc vay thoi")[0]
    assert "mat_vay" in present and "thoi_vay_duoi" not in present


@pytest.mark.parametrize("text", ["con trai em bỏ ăn mấy bữa nay", "bà nội em bị đục mắt", "tay tôi bị lở loét vì ngâm nước ao",
                                  "ong xa em bo an tu sang toi gio"])
def test_a_person_is_not_a_fish(pipeline, text):
    u = pipeline.understand_many([text])[0]
    assert u.symptoms == [] and u.about_person and not u.unmatched


@pytest.mark.parametrize("text, sign", [("chồng em thấy cá nổi đầu quá trời", "noi_dau"), ("bà xã em kêu mấy con bỏ ăn", "bo_an"),
                                        ("vợ em lo quá, cá bỏ ăn mấy bữa", "bo_an"), ("mấy bữa nay cá bỏ ăn, con gái em nói vậy", "bo_an")])
def test_a_person_who_saw_or_told_it_is_not_the_patient(pipeline, text, sign):
    u = pipeline.understand_many([text])[0]
    assert sign in u.present() and not u.about_person


@pytest.mark.parametrize("text, animal", [("con ga nha em bo an", "gà"), ("heo nha em bo an 2 bua", "heo"), ("con cho bi xoay vong", "chó"),
                                          ("nuoi cua bien bi bo an", "cua")])
def test_animals_typed_without_marks(pipeline, text, animal):
    u = pipeline.understand_many([text])[0]
    assert u.symptoms == [] and u.other_animal == animal


def test_cua_without_marks_is_mostly_cua_of(pipeline):
    # "ao ca cua em" is "của em" (my pond), not a crab.
    u = pipeline.understand_many(["ao tra cua em co con bi phan trang"])[0]
    assert u.other_animal is None and "phan_trang" in u.present()


def test_het_before_an_amount_is_how_much_was_eaten(pipeline):
    # "hết một nửa" is half the feed eaten, not the sign being over.
    assert "bo_an" in signs(pipeline, "dạo này cá ăn yếu, cho ăn chỉ hết một nửa")[0]
    assert "bo_an" in signs(pipeline, "cá ăn yếu, 3 bao cám mà chỉ hết 2 bao")[0]


@pytest.mark.parametrize("text, sign", [("mang cá màu nâu, nghe nói do nitrit", "xuat_huyet"),
                                        ("nhà có người bị sốt xuất huyết nên em cho cá ăn trễ", "xuat_huyet"),
                                        ("ca noi dau luc sang, mat troi len thi het", "mat_loi")])
def test_everyday_phrases_are_not_signs(pipeline, text, sign):
    assert sign not in signs(pipeline, text)[0]


def test_eating_again_is_eating_normally(pipeline):
    # "ăn lại" (eats again) says something though "ăn" and "lại" alone do not.
    assert "bo_an" in signs(pipeline, "ca bo an may bua, gio an lai roi")[1]


def test_what_the_whole_fish_does_borrows_no_body_part(pipeline):
    # After "phân trắng", "ăn lại bình thường" is about eating, not about the feces.
    present, absent = signs(pipeline, "phân trắng hết rồi, giờ ăn lại bình thường")
    assert {"phan_trang", "bo_an"} <= absent


def test_leftover_words_next_to_a_sign_need_to_read_well(pipeline):
    # "bám trên" left over after the fungus is not lice; a new body part starts a statement of its own.
    assert signs(pipeline, "cá mọc nấm bông bám trên lưng")[0] == {"nam_bong"}
    assert signs(pipeline, "ca bo an mang nhot")[0] == {"bo_an", "mang_nhot"}


@pytest.mark.parametrize("text, present, absent", [("cá không còn nổi đầu", set(), {"noi_dau"}),
                                                   ("cá hết còn cọ mình", set(), {"co_than"}),
                                                   ("mắt hết đục rồi, mà vẫn còn lồi", {"mat_loi"}, {"mat_duc"})])
def test_no_longer_and_still(pipeline, text, present, absent):
    assert signs(pipeline, text) == (present, absent)


def test_a_guess_is_not_a_sign_seen(pipeline):
    # "có phải bị ... không" guesses the cause; the fish rubbing is what was seen.
    assert signs(pipeline, "cá cọ mình hoài, có phải bị rận bám không anh")[0] == {"co_than"}


@pytest.mark.parametrize("text, present, absent", [
    ("chồng em đau mắt mấy bữa, mắt sưng đỏ lên", set(), set()),  # a message naming no fish: all about him
    ("bà nội em dạo này sốt, bỏ ăn", set(), set()),  # "sốt" (fever) is a person's
    ("chồng em bị sốt, cá thì nổi đầu", {"noi_dau"}, set()),
    ("cá giống cỡ 3 phân bị đốm trắng", {"dom_trang_da"}, set()),  # 3 cm, not feces
    ("cá bị cọ mình giờ hết rồi", set(), {"co_than"}),
    ("lúc đầu cá bỏ ăn", {"bo_an"}, set()),  # "lúc đầu" (at first) is not surfacing
    ("bác ơi cá bỏ ăn", {"bo_an"}, set()),
    ("vây ngực bị đỏ", {"xuat_huyet"}, set()),
    ("năm ngoái cá bị gan thận mủ chết nhiều", set(), set()),  # an earlier season
    ("điêu hông bỏ ăn mấy bữa", {"bo_an"}, set()),  # a slip for "điêu hồng", not "không"
])
def test_people_sizes_seasons_and_everyday_words(pipeline, text, present, absent):
    assert signs(pipeline, text) == (present, absent)


@pytest.mark.parametrize("text, present", [("cá không muốn ăn", {"bo_an"}), ("ca ko muon an", {"bo_an"}),
                                           ("cá lừ đừ không muốn bơi", {"boi_lo_do"})])
def test_not_wanting_to_eat_or_swim(pipeline, text, present):
    # "không muốn" is no denial, and alone it is neither off feed nor lethargy.
    assert signs(pipeline, text)[0] == present


@pytest.mark.parametrize("text, present, absent", [("cá ăn không hết cám", {"bo_an"}, set()),
                                                   ("cá trầy hết vảy", {"mat_vay"}, set()),
                                                   ("mang cá nhạt hết màu", {"mang_nhot"}, set())])
def test_het_before_a_part_or_thing_is_all_of_it(pipeline, text, present, absent):
    # "hết" before "cám", "vảy", "màu" is "all of it", not the sign being over; examples count their
    # denials the way messages do.
    assert signs(pipeline, text) == (present, absent)


def _phrase_file(name: str):
    for line in (Path(__file__).parent / "data" / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            sign, *phrases = line.split("|")
            yield from ((sign, phrase) for phrase in phrases)


@pytest.mark.parametrize("sign, phrase", list(_phrase_file("basic_phrases.txt")))
def test_everyday_phrases_read_as_their_sign(pipeline, sign, phrase):
    assert signs(pipeline, phrase)[0] == {sign}


@pytest.mark.parametrize("sign, phrase", list(_phrase_file("basic_denials.txt")))
def test_everyday_denials_read_as_their_sign_denied(pipeline, sign, phrase):
    assert signs(pipeline, phrase) == (set(), {sign})


@pytest.mark.parametrize("wanted, message", list(_phrase_file("basic_combinations.txt")))
def test_everyday_messages_with_several_signs(pipeline, wanted, message):
    assert signs(pipeline, message) == (set(wanted.split(",")), set())


@pytest.mark.parametrize("text, present, absent", [
    ("hôm qua cá bơi lờ đờ, giờ hết rồi, chỉ còn bị nhớt nhiều", {"nhot_nhieu"}, {"boi_lo_do"}),  # over now
    ("cá chết, hết rồi", {"chet_nhieu"}, set()),  # without "giờ": every fish dead
    ("nếu cá bị đốm đỏ thì trị sao? em hỏi để biết thôi", set(), set()),  # only asking ahead
    ("cá rô phi nhà em chết lai rai, các bác xem giúp", {"chet_nhieu"}, set()),  # "bác", not "bạc"
    ("bệnh trắng đuôi có vắc xin không anh", set(), set()),  # asks about the disease
])
def test_over_now_asking_ahead_and_address_words(pipeline, text, present, absent):
    assert signs(pipeline, text) == (present, absent)


@pytest.mark.parametrize("text, present, absent", [("cá vẫn ăn, mà bơi lờ đờ", {"boi_lo_do"}, {"bo_an"}),
                                                   ("cá vẫn ăn ít", {"bo_an"}, set()), ("ca van an yeu", {"bo_an"}, set())])
def test_still_eating_and_still_eating_less(pipeline, text, present, absent):
    assert signs(pipeline, text) == (present, absent)


@pytest.mark.parametrize("species", ["cá tra", "rô phi", "cá lóc", "cá trê", "cá chép", "điêu hồng", "dieu hong", "basa"])
def test_not_eating_for_every_species(pipeline, species):
    # "điêu hồng không ăn" had read like "điêu hồng bỏ ăn" denied; "cá tra thở mạnh" had read nothing.
    assert signs(pipeline, f"{species} không ăn") == ({"bo_an"}, set())
    assert signs(pipeline, f"{species} ko an") == ({"bo_an"}, set())
    assert signs(pipeline, f"{species} thở mạnh") == ({"tho_gap"}, set())


def test_a_sign_over_now_in_one_run_on_clause(pipeline):
    assert signs(pipeline, "lúc đầu nó cọ mình giờ hết cọ rồi mà lại tróc vảy") == ({"mat_vay"}, {"co_than"})


def test_words_of_the_examples_are_ready_before_the_first_message(pipeline):
    # Their features are computed when the matcher is built, so a first message written only in the
    # examples' words computes nothing new.
    matcher = pipeline.matcher
    for ref in matcher.references[:: max(1, len(matcher.references) // 50)]:
        for clause in matcher._clauses(ref.text):
            assert not matcher.scorer.table.missing(clause), ref.text


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # A time of day before "hết" / "không còn" says the sign just told is over now.
        ("hum wa ca tra noi dau, trua nay het r ma van k an", {"bo_an"}, {"noi_dau"}),
        ("Tuần trước cá lờ đờ, hôm nay không còn nữa", set(), {"boi_lo_do"}),
        # "lại" is "again" here, not "the rest": the fast breathing is over.
        ("Chiều qua cá thở gấp, sáng nay nước trong lại hết thở gấp", set(), {"tho_gap"}),
        # ... but "còn lại" is the other fish: the first telling stands.
        ("cá bỏ ăn, mấy con còn lại thì không bỏ ăn", {"bo_an"}, set()),
        # Northern "chẳng", "chả" deny like "không": "chẳng ăn" is off feed.
        ("Cá chép nhà tôi chẳng ăn gì cả", {"bo_an"}, set()),
        ("cá chả ăn mấy hôm nay", {"bo_an"}, set()),
        # "chả hiểu sao" denies nothing.
        ("Chả hiểu sao cá cứ bơi nghiêng một bên", {"boi_bat_thuong"}, set()),
        # More than normal is the sign, not a normal fish.
        ("cá chép có nhớt nhiều hơn bình thường", {"nhot_nhieu"}, set()),
        # "bắt đầu" (begin) is not "đầu" (head).
        ("cá chép bắt đầu nổi đốm trắng li ti", {"dom_trang_da"}, set()),
        ("ca tra hog an", {"bo_an"}, set()),
        # Telex typing.
        ("cas tra chetss nhieeuf", {"chet_nhieu"}, set()),
        # Central "mô có" denies; "mo co" without marks is "mổ có" (cut open), not a denial.
        ("Cá rô phi nhà tui mô có bỏ ăn mô, chỉ lờ đờ thôi", {"boi_lo_do"}, {"bo_an"}),
        # Healed: "lành (hết) rồi" closing the clause.
        ("vết loét trên lưng cá lành hết rồi", set(), {"lo_loet"}),
        ("Cá ôm bờ cả ngày", {"boi_lo_do"}, set()),
        # "gan nhu" is "gần như" (almost), not the liver.
        ("da ca gan nhu trang bech", {"doi_mau_da"}, set()),
        # "cá lóc bông" is a snakehead, not cotton-wool fungus.
        ("cá lóc bông bị cụt đuôi", {"thoi_vay_duoi"}, set()),
        # "ngưng chết": deaths have stopped; "ngừng ăn" is still off feed.
        ("cá rô phi ngưng chết rồi, nhưng mắt lồi", {"mat_loi"}, {"chet_nhieu"}),
        ("cá ngừng ăn hai bữa nay", {"bo_an"}, set()),
        # "lác đác" (scattered) deaths, weights, and "khoảng" (about) inside a span.
        ("chết lác đác ạ", {"chet_nhieu"}, set()),
        ("chết khoảng 10 con một ngày", {"chet_nhieu"}, set()),
        ("cá tra không đớp mồi", {"bo_an"}, set()),
        ("mat do tha ca ro phi the nao la hop ly", set(), set()),
        # A pond in a clause naming the fish says whose fish; the water's own look is no sign.
        ("cá rô ao nhà tôi đen sạm cả lại", {"doi_mau_da"}, set()),
        ("Bể cá trê nước đục ngầu, cá tiết nhớt nhiều", {"nhot_nhieu"}, set()),
        # Provinces read as places: "bac" in "Bac Giang" is not "bạc" (faded).
        ("ca tre bi ran bam. Em nuoi o Bac Giang", {"ky_sinh_bam"}, set()),
        # Northern words.
        ("cá mè bị xây xát khắp mình", {"mat_vay"}, set()),
        ("chết lẻ tẻ vài con", {"chet_nhieu"}, set()),
        ("da cá trắm trắng bợt ra", {"doi_mau_da"}, set()),
        # "do vận chuyển" (because of transport) is not "vây đỏ".
        ("ca giong bi tray, vay do van chuyen", {"mat_vay"}, set()),
        # A negation of what the fish does starts a statement of its own, even right after another sign.
        ("rô phi nổi đầu hông ăn", {"noi_dau", "bo_an"}, set()),
        ("cá tra nổi lên mặt nước từ sáng", {"noi_dau"}, set()),
        # "dấu hiệu" (sign) is not "đầu"; broodstock and the marble goby name fish.
        ("cá chưa có dấu hiệu bệnh gì, vẫn ăn bình thường", set(), {"bo_an"}),
        ("chép bố mẹ bị tróc vảy", {"mat_vay"}, set()),
        ("cá bống tượng bỏ ăn", {"bo_an"}, set()),
        # The fish still alive are other fish: they neither deny the deaths nor take them back.
        ("cá trê chết rải rác, mấy con còn sống thì bỏ ăn", {"chet_nhieu", "bo_an"}, set()),
        ("cá chép chết nhiều, con còn sống bị tróc vảy", {"chet_nhieu", "mat_vay"}, set()),
        # A body part, then the fish's name, then the sign: the name does not water the sign down.
        ("mang cá điêu hồng nhà em rách tươm", {"mang_thoi"}, set()),
        ("mắt cá rô phi đục", {"mat_duc"}, set()),
        # Two states of one body part in a row are two signs ("mắt đục lồi").
        ("cá lóc mắt đục lồi", {"mat_duc", "mat_loi"}, set()),
        ("mang nhợt thối", {"mang_nhot", "mang_thoi"}, set()),
        ("vây đỏ rách", {"xuat_huyet", "thoi_vay_duoi"}, set()),
        # A word after the part that is no state of it does not carry the part on ("vảy sau khi").
        ("ca loc bi troc vay sau khi san ao", {"mat_vay"}, set()),
        # "cám còn nguyên" is feed left whole, not a whole skin.
        ("cám còn nguyên", {"bo_an"}, set()),
        # A negation cue closing a span, with words after it, belongs to what follows.
        ("lồng điêu hồng không thấy con nào nổi đầu", set(), {"noi_dau"}),
        # Deworming is a treatment and "tụ huyết trùng" a disease's name: neither is a sign seen.
        ("xổ nội ký sinh 3 bữa rồi mà phân trắng vẫn còn", {"phan_trang"}, set()),
        ("tụ huyết trùng là bệnh gì vậy anh", set(), set()),
        # "Over now" reaches back over clauses that tell no sign.
        ("hôm trước nổi đầu, em chạy quạt cả đêm, nay hết rồi", set(), {"noi_dau"}),
        # "nằm yên" is "nằm im"; "lặn" and "chịu" say nothing alone; "chỉ ... thôi" is not rotten.
        ("cá rô phi nằm yên một chỗ dưới đáy", {"boi_lo_do"}, set()),
        ("cá nổi đầu chưa lặn", {"noi_dau"}, set()),
        ("cá đớp khí hoài mà hông chịu lặn", {"noi_dau"}, set()),
        ("ca tra ko co dom trang gan, chi bi xuat huyet vay thoi", {"xuat_huyet"}, {"dom_trang_noi_tang"}),
        # Asking how to tell two signs apart is not seeing them.
        ("làm sao phân biệt cá bị đốm đỏ với bị trầy", set(), set()),
        # Words spelled as spoken, the way phone voice typing writes them.
        ("cá gô phi lật nghiêng gồi chết", {"boi_bat_thuong", "chet_nhieu"}, set()),
        # Everyday words: losses, faded skin, a swollen belly typed without marks, spinning fast.
        ("cá hao hụt nhiều quá", {"chet_nhieu"}, set()),
        ("da cá rô nhợt màu", {"doi_mau_da"}, set()),
        ("ca tra bung sung", {"bung_truong"}, set()),
        ("cá chép quay tít", {"boi_bat_thuong"}, set()),
        # Central "hắn" (it) is a small word inside a sign; "nam yen" typed without marks is "nằm im".
        ("mắt hắn lồi ra", {"mat_loi"}, set()),
        ("ca loc giong nam yen duoi day", {"boi_lo_do"}, set()),
        # "nhiễm ký sinh trùng" is a guess at the cause, not parasites seen on the fish.
        ("ca tra bi nhiem ky sinh trung mang", set(), set()),
        # What the whole fish does is not re-read with the gills named before it.
        ("mang tái mét bơi không nổi", {"mang_nhot", "boi_lo_do"}, set()),
        # "loang lổ" (patchy) is a colour, not an ulcer.
        ("ca tre da chuyen mau loang lo", {"doi_mau_da"}, set()),
        # Gasping at the surface is surfacing.
        ("ca ro phi noi dau ngap ngap luc sang", {"noi_dau"}, set()),
        # A clause opening on the fish's pond speaks of its water.
        ("trời mưa, ao cá tra nhà tui đục ngầu", set(), set()),
        # Taking the bait is eating; "vọt lên" is jumping.
        ("tụi nó nhảy lên đớp mồi thôi", set(), {"bo_an"}),
        ("lâu lâu mấy con vọt lên khỏi mặt nước", {"co_than"}, set()),
        # Healed now; an earlier bout; moving the fish; half; "says it is due to"; Central and Southern small words.
        ("hôm trước cá bị lở loét nhưng giờ lành rồi", set(), {"lo_loet"}),
        ("lần trước bị xuất huyết nặng, lần này cá bỏ ăn", {"bo_an"}, set()),
        ("chuyển cá qua bể mới thì cá tróc vảy", {"mat_vay"}, set()),
        ("cá chỉ ăn chừng phân nửa", {"bo_an"}, set()),
        ("ao bị máu nâu, kỹ thuật nói do nitrit cao", {"mang_nau"}, set()),
        ("cá trắm chết răng mà nhiều rứa", {"chet_nhieu"}, set()),
        ("ông Hai nói hồi trước ổng bị y chang", set(), set()),
        # "hết" before the gill filaments is "all of them".
        ("mang thối rữa hết lá mang", {"mang_thoi"}, set()),
        ("ca me hong tho gap", set(), {"tho_gap"}),
        # A general question is no sign seen.
        ("cá có bị nổi đầu khi trời âm u không mấy anh?", set(), set()),
        ("cá có bị nổi đầu thì nên chạy quạt mấy giờ?", set(), set()),
        # Over now, after what the farmer did.
        ("hôm qua cá nổi đầu, nay sục khí xong hết rồi", set(), {"noi_dau"}),
        # A chicken typed without marks.
        ("ga bi kho khe, chay nuoc mui", set(), set()),
        # Over now, after what the farmer did even when not said done.
        ("hôm qua cá nổi đầu, sáng nay chạy quạt hết rồi", set(), {"noi_dau"}),
        # Black patches, surfacing to breathe.
        ("da cá lóc nổi mảng đen", {"doi_mau_da"}, set()),
        ("cá lóc nổi lên thở", {"noi_dau"}, set()),
        # Talk of other farms, causes, habits, fears and drugs is no sign seen, unless the fish are the farmer's own.
        ("nghe nói bên Hồng Ngự cá tra chết trắng ao", set(), set()),
        ("hàng xóm qua coi nói cá nhà tui bị rận bám", {"ky_sinh_bam"}, set()),
        ("hàng xóm nhà em cá bị lở loét hết", set(), set()),
        ("vì sao cá hay bị nổi đầu vào sáng sớm", set(), set()),
        ("vì sao cá nhà em bỏ ăn", {"bo_an"}, set()),
        ("thuốc trị gan thận mủ giá bao nhiêu", set(), set()),
        ("em sợ cá bị trầy vảy", set(), set()),
        ("không sợ người nữa, bơi lờ đờ", {"boi_lo_do"}, set()),
        ("ao bên bị lở loét mà cá mình không bị lở loét", set(), {"lo_loet"}),
        # Such talk goes on in short clauses that name no fish and no "now"; a past season likewise.
        ("nhiều người bảo cá hay bị nấm, bị đốm đỏ", set(), set()),
        ("năm rồi cá bị trắng đuôi, năm nay bị phân trắng", {"phan_trang"}, set()),
        ("hỏi vui: cá có bị phân trắng như tôm không", set(), set()),
        # The feed floating or mouldy is not the fish; "cám còn nguyên" still is.
        ("cám rải xuống cứ nổi lềnh bềnh", set(), set()),
        ("thức ăn viên bị mốc trắng như bông", set(), set()),
        # An animal kept with the fish: its clauses tell of it; a comparison names no animal.
        ("ếch với cá trê nuôi chung, ếch bị đỏ chân, sình bụng", set(), set()),
        ("mắt cá lồi ra như mắt ếch", {"mat_loi"}, set()),
        # "bị" before the thing: "hết" is "all of it", not "gone"; without "bị" it is gone.
        ("trứng cá lóc bị nấm mốc trắng hết", {"nam_bong"}, set()),
        ("nấm trắng hết rồi", set(), {"nam_bong"}),
        # "cung" typed without marks is the small word "cũng"; "thở không nổi" is laboured breathing.
        ("mang cung thoi luon", {"mang_thoi"}, set()),
        ("cá tra thở hổng nổi", {"tho_gap"}, set()),
        ("ao cá nhà ông Tư kế bên bị chết", set(), set()),
        # Other ponds around, a shop's word, worries, a past crop; "nên" (so) ends the talk: what follows was seen.
        ("mấy ao quanh đây đều bị đốm trắng", set(), set()),
        ("cửa hàng nói là bệnh mủ gan", set(), set()),
        ("em lo cá tra nổi đầu thiếu oxy như năm rồi", set(), set()),
        ("vu roi ca chet nhieu qua", set(), set()),
        ("sợ cá bị gan thận mủ nên mổ thử, thấy gan có đốm trắng", {"dom_trang_noi_tang"}, set()),
        # "giờ ổn (định) rồi" is over; "cho ăn dư" is what the farmer does; "đúng không" asks.
        ("mấy hôm trước cá nổi đầu, giờ ổn định rồi", set(), {"noi_dau"}),
        ("e cho ăn dư quá", set(), set()),
        ("cá rô bơi lật nghiêng, có đúng ko", {"boi_bat_thuong"}, set()),
        # Chat words: a photo sent, "bổ sung", "không phải" typed without marks; "nếu", "nghi" are not seen.
        ("dạ em gửi hình rồi á anh", set(), set()),
        ("bo sung: co vai con phong len khoi mat nuoc", {"co_than"}, set()),
        ("hong phai ran dau a, la trung mo neo cam vo than", {"ky_sinh_bam"}, set()),
        ("nếu cá bị lồi mắt thì có phải strep không", set(), set()),
        ("bung truong, nghi gan than mu nhung chua mo", {"bung_truong"}, set()),
        # "vẩy" is "vảy"; fish named by a colour are species.
        ("vẩy cá bong ra nhiều", {"mat_vay"}, set()),
        ("trắm đen bị trùng bánh xe, mang nhợt nhạt", {"mang_nhot"}, set()),
        # Fear of tonight; a relative's farm elsewhere; the next hamlet; the pond's mud.
        ("hqua có mưa đá, sợ tối nay cá sốc nhiệt nổi đầu", set(), set()),
        ("thằng em ở Tiền Giang nuôi điêu hồng lồng bè bị mắt lồi", set(), set()),
        ("mẹ em ngoài Nam Định nuôi trắm cỏ, bị thối mang chết mấy chục con", set(), set()),
        ("em ở Cà Mau nuôi cá tra, cá bị mắt lồi", {"mat_loi"}, set()),
        ("anh Tư xóm dưới ao cá lóc chết nổi trắng ao", set(), set()),
        ("ao co mui hoi thoi, day bun den thui", set(), set()),
        # Over by yesterday; cleared; a person's headache; eating only a part.
        ("hom kia ca noi dau, hom qua het roi, nay thay bo an", {"bo_an"}, {"noi_dau"}),
        ("cá trê bị đốm trắng, tắm muối 3 lần giờ sạch rồi", set(), {"dom_trang_da"}),
        ("đau đầu quá, cá chết hoài", {"chet_nhieu"}, set()),
        ("cá trê hôm nay ăn chỉ còn 5 bao/ngày", {"bo_an"}, set()),
        # What the farmer saw ends such talk.
        ("nghĩ là bệnh đốm đỏ mà chưa chắc, vì chưa thấy đốm đỏ gì hết", set(), {"xuat_huyet"}),
        # What the farmer wants to get to is not what is seen: "làm gì để cá ăn lại".
        ("Cá trê bỏ ăn, làm gì để cá ăn lại vậy anh", {"bo_an"}, set()),
        ("cá bỏ ăn mấy bữa, làm gì để cá ăn lại bình thường?", {"bo_an"}, set()),
        # A turtle is another animal.
        ("con rùa nhà em bỏ ăn", set(), set()),
        # The swamp eel is a fish farmers raise; everyday words for eating little, scales, gills, dying.
        ("lươn nhà tui bị lở loét, bỏ ăn", {"lo_loet", "bo_an"}, set()),
        ("cá rô phi ăn lai rai", {"bo_an"}, set()),
        ("cho ăn mà không thấy cá lên ăn", {"bo_an"}, set()),
        ("cá lóc bong vảy nhiều", {"mat_vay"}, set()),
        ("cá trắm thối đầu mang", {"mang_thoi"}, set()),
        ("cá điêu hồng nằm ngửa", {"boi_bat_thuong"}, set()),
        ("ca tra chet riet", {"chet_nhieu"}, set()),
        ("vùng quanh mắt đỏ", {"xuat_huyet"}, set()),
        # A question about a sign in general reads no sign; about the farmer's own fish, or now, it is a report.
        ("cá tra nổi đầu thì nên làm gì?", set(), set()),
        ("bọt khí ở cá là do gì vậy", set(), set()),
        ("đốm đỏ trên vây cá là bệnh gì", set(), set()),
        ("cá nhà em nổi đầu thì nên làm gì?", {"noi_dau"}, set()),
        ("sáng nay cá nổi đầu thì làm sao", {"noi_dau"}, set()),
        ("ca tre boi lat nghieng roi chim xuong, la benh gi vay", {"boi_bat_thuong"}, set()),
        # Central "nỏ" (typed with its marks) and "khôn" are "không"; "con mô" is "con nào". Typed without
        # marks "no" stays "nó".
        ("nỏ thấy con mô chết, mà cá nỏ ăn", {"bo_an"}, {"chet_nhieu"}),
        ("cá khôn chết con mô", set(), {"chet_nhieu"}),
        ("tui no bo an", {"bo_an"}, set()),
        # Southern "hong" before a verb typed with marks is "không".
        ("cá hong nổi đầu, hong bỏ ăn", set(), {"noi_dau", "bo_an"}),
        # Not over yet: "chưa hết đốm đỏ" is the spots still there.
        ("trộn thuốc 5 ngày mà chưa hết đốm đỏ", {"xuat_huyet"}, set()),
        ("hết đốm đỏ rồi", set(), {"xuat_huyet"}),
        # Everyday words: a slimy coat, colour lost, a peeling tail.
        ("cá lóc đóng nhớt trắng", {"nhot_nhieu"}, set()),
        ("da cá mất màu", {"doi_mau_da"}, set()),
        ("cá rô bị tróc đuôi", {"thoi_vay_duoi"}, set()),
        # Flood water over the banks (ngập) is not gasping (ngáp); scales all come loose.
        ("lũ về ngập bờ ao rồi", set(), set()),
        ("ca bi bong het vay", {"mat_vay"}, set()),
        # A guess ends at "mà" (but): what follows was seen. Address and chat words are no sign.
        ("không biết có phải nấm không mà trên da cá có mấy chùm trắng như bông", {"nam_bong"}, set()),
        ("ko biet co phai nam k ma tren da co may chum trang nhu bong", {"nam_bong"}, set()),
        # "+" joins two signs; a yes-no question about fish in general tells none.
        ("bỏ ăn + chết vài con", {"bo_an", "chet_nhieu"}, set()),
        ("cá có bị lồi mắt không?", set(), set()),
        # Technical words: the cornea, the eyeball, inflamed red; "DO" is the dissolved oxygen, not "đỏ".
        ("điêu hồng bị giác mạc đục, lồi nhãn cầu", {"mat_duc", "mat_loi"}, set()),
        ("chỗ trùng mỏ neo bám bị viêm đỏ", {"ky_sinh_bam", "xuat_huyet"}, set()),
        ("ca noi dau luc sang, DO do dc 2 mg/l", {"noi_dau"}, set()),
        # Comparing diseases, a student's project, fish dying around the region: no sign seen here.
        ("cho em hỏi sự khác nhau giữa bệnh gan thận mủ và bệnh xuất huyết", set(), set()),
        ("em làm đề tài về bệnh trắng đuôi ở cá lóc", set(), set()),
        ("nghe đâu cá tra trong vùng chết nhiều lắm", set(), set()),
        # "bình thường" alone denies no sign; "không chịu lặn" (won't dive) is not off feed; "trên đầu" is where.
        ("sáng nay cá bị nấm, còn lại thì bình thường", {"nam_bong"}, set()),
        ("cá nổi đầu tới trưa hổng chịu lặn", {"noi_dau"}, set()),
        ("tren dau ca co nhieu rận bám", {"ky_sinh_bam"}, set()),
        # A denial reaches a list through its earlier members, however far the cue stands.
        ("chưa thấy có hiện tượng cọ mình hay nổi đầu", set(), {"co_than", "noi_dau"}),
        # A few dying is still fish dying.
        ("rô phi chết không nhiều, bữa 2 bữa 3 con", {"chet_nhieu"}, set()),
        # "bò" alone is to crawl; the cow is named as such ("con bò", "bò nhà").
        ("lươn bò lên ống, bụng sình", {"bung_truong"}, set()),
        ("con bò nhà em bỏ ăn", set(), set()),
        # What was done may stand before "now" in the clause that says it is over.
        ("tuần rồi cá bị nấm, tắm muối xong nay hết rồi", set(), {"nam_bong"}),
        # "tuột nhớt" is slime lost, not much slime; a drug good for a disease is no sign seen; "bụng hơi to" untyped.
        ("cá lóc bị tuột nhớt", set(), set()),
        ("thuốc nào tốt cho bệnh lở loét vậy mấy anh", set(), set()),
        ("ca loc bung hoi to", {"bung_truong"}, set()),
        # Asking the cause of a sign in general; a worry about fish; asking whether to do something; back to normal now.
        ("cá rô nổi đầu do đâu, bao giờ thì đáng lo", set(), set()),
        ("lo cá bị trắng đuôi như vụ trước", set(), set()),
        ("trời lạnh có cần giảm ăn cho cá không", set(), set()),
        ("tối qua cá nổi đầu, sáng nay chạy quạt giờ cá bình thường rồi", set(), {"noi_dau"}),
        # In a clause about the water, an accent-free "mau" is its colour, not blood.
        ("nuoc ao chuyen mau nau, co mui tanh", set(), set()),
        # How to tell a sign, asked in general.
        ("cho hỏi cá bị đốm trắng nhìn thế nào để biết", set(), set()),
        # Suffocated, growing fungus, still dying (typed without marks); the uncle is not "bạc" (faded).
        ("rô phi chết ngạt cả lồng", {"chet_nhieu"}, set()),
        ("vết loét giờ lên nấm", {"lo_loet", "nam_bong"}, set()),
        ("tam muoi roi ma van chet", {"chet_nhieu"}, set()),
        ("có bác nào bán giống cá chép không", set(), set()),
        ("ca tai tuong bi mat duc, phai lam sao a", {"mat_duc"}, set()),
    ],
)
def test_later_session_readings(pipeline, text, present, absent):
    assert signs(pipeline, text) == (present, absent)


def test_words_telling_a_sign_again_read_no_weak_other_sign(pipeline):
    # "dồn dập" (thick and fast) after the deaths are told again is not fast breathing.
    got_present, got_absent = signs(pipeline, "cá chết rải rác, nay chết dồn dập cả trăm con")
    assert got_present == {"chet_nhieu"} and not got_absent
