"""Ranking, next question, triage: the diagnostic reasoning on the shipped knowledge base."""

import pytest

from bot.diagnosis import ABSENT, CAN_TU_VAN, KHAN_CAP, PRESENT, Diagnoser, Evidence
from bot.intents import load_intents

from .conftest import INTENTS


@pytest.fixture(scope="module")
def diagnoser():
    return Diagnoser(load_intents(INTENTS))


def test_hallmark_sign_ranks_its_condition_first(diagnoser):
    cases = {
        "gan_than_mu": ({"dom_trang_noi_tang": PRESENT, "bo_an": PRESENT}, "ca_tra"),
        "dom_trang": ({"dom_trang_da": PRESENT, "co_than": PRESENT}, None),
        "lien_cau_khuan": ({"mat_loi": PRESENT, "boi_bat_thuong": PRESENT}, "ro_phi"),
        "thieu_oxy": ({"noi_dau": PRESENT, "tho_gap": PRESENT, "mang_nau": ABSENT}, None),
        "khi_doc": ({"noi_dau": PRESENT, "mang_nau": PRESENT}, None),
    }
    for expected, (signs, species) in cases.items():
        result = diagnoser.diagnose(Evidence(signs, species))
        assert result.top.id == expected, (expected, [(c.id, round(c.probability, 2)) for c in result.ranked[:3]])
        assert abs(sum(c.probability for c in result.ranked) - 1.0) < 1e-6


def test_species_changes_priors(diagnoser):
    signs = {"bo_an": PRESENT, "boi_lo_do": PRESENT}
    tra = {c.id: c.probability for c in diagnoser.diagnose(Evidence(signs, "ca_tra")).ranked}
    ro_phi = {c.id: c.probability for c in diagnoser.diagnose(Evidence(signs, "ro_phi")).ranked}
    assert tra["gan_than_mu"] > ro_phi["gan_than_mu"]
    assert ro_phi["lien_cau_khuan"] > tra["lien_cau_khuan"]


def test_explain_lists_signs_for_and_against(diagnoser):
    result = diagnoser.diagnose(Evidence({"dom_trang_noi_tang": PRESENT, "mang_nau": ABSENT}))
    gan = next(c for c in result.ranked if c.id == "gan_than_mu")
    assert "dom_trang_noi_tang" in gan.supporting
    khi = next(c for c in result.ranked if c.id == "khi_doc")
    assert "mang_nau" in khi.against


def test_next_question_is_informative_and_never_known(diagnoser):
    evidence = Evidence({"bo_an": PRESENT, "boi_lo_do": PRESENT})
    result = diagnoser.diagnose(evidence, asked=["noi_dau"])
    assert result.question not in ("bo_an", "boi_lo_do", "noi_dau")
    probs = diagnoser.posterior(evidence)
    gains = {s: diagnoser.information_gain(probs, s) for s in diagnoser.signs if s not in ("bo_an", "boi_lo_do", "noi_dau")}
    assert gains[result.question] == max(gains.values())


def test_stops_after_max_questions_and_when_clear(diagnoser):
    vague = Evidence({"bo_an": PRESENT})
    assert diagnoser.diagnose(vague, questions_asked=4).question is None
    clear = Evidence({"dom_trang_noi_tang": PRESENT, "bo_an": PRESENT, "chet_nhieu": PRESENT, "xuat_huyet": ABSENT}, "ca_tra")
    result = diagnoser.diagnose(clear)
    assert result.top.probability >= 0.85 and result.question is None


def test_triage_levels(diagnoser):
    dying = diagnoser.diagnose(Evidence({"noi_dau": PRESENT, "chet_nhieu": PRESENT}))
    assert dying.triage == KHAN_CAP and dying.handoff
    vague = diagnoser.diagnose(Evidence({"bo_an": PRESENT}), questions_asked=4)
    assert vague.triage == CAN_TU_VAN and not vague.confident and vague.handoff


def test_no_evidence_no_ranking(diagnoser):
    result = diagnoser.diagnose(Evidence())
    assert result.ranked == [] and result.question is None
