"""Validation of the intent files: every problem names the file and line, nothing raises."""

import subprocess
import sys
from pathlib import Path

import pytest

from bot.intents import IntentsInvalid, load_intents


def edit(path: Path, *replacements: tuple[str, str]) -> None:
    """Replace the first occurrence of each (old, new) in a copied intent file."""
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def problems(folder: Path) -> list[str]:
    with pytest.raises(IntentsInvalid) as info:
        load_intents(folder)
    return [str(p) for p in info.value.problems]


def test_shipped_intents_are_valid():
    intents = load_intents(Path(__file__).resolve().parent.parent / "intents")
    required = """noi_dau tho_gap bo_an boi_lo_do boi_bat_thuong co_than chet_nhieu mat_loi mat_duc xuat_huyet
    bung_truong hau_mon_do mang_nhot mang_thoi mang_nau dom_trang_da nhot_nhieu doi_mau_da mat_vay lo_loet
    nam_bong thoi_vay_duoi ky_sinh_bam phan_trang dom_trang_noi_tang bong_khi""".split()
    assert set(required) <= set(intents.symptom_ids)
    for symptom in intents.symptoms:
        assert len(symptom.examples) >= 8, symptom.id
        assert symptom.question
    conditions = """thieu_oxy khi_doc gan_than_mu benh_xuat_huyet lien_cau_khuan columnaris dom_trang trung_banh_xe
    san_la_mang nam_thuy_mi ky_sinh_giap_xac bong_khi viem_ruot""".split()
    assert set(conditions) <= {c.id for c in intents.conditions}


def test_body_parts_are_read_as_words():
    intents = load_intents(Path(__file__).resolve().parent.parent / "intents")
    by_id = {s.id: s for s in intents.symptoms}
    assert by_id["mat_loi"].body_parts == ("mắt",)
    assert {"hậu", "môn", "hau", "mon", "đít", "dit"} == set(by_id["hau_mon_do"].body_parts)
    assert by_id["noi_dau"].body_parts == ()


def test_yaml_syntax_error_reports_line(intents_copy):
    path = intents_copy / "symptoms.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[30] = "    examples: [unclosed"
    path.write_text("\n".join(lines), encoding="utf-8")
    found = problems(intents_copy)
    assert any(p.startswith("symptoms.yaml:") and "YAML syntax" in p for p in found)


def test_missing_question_and_duplicate_id(intents_copy):
    edit(intents_copy / "symptoms.yaml", ("    question: Cá có nổi đầu", "    questionx: Cá có nổi đầu"),
         ("  - id: tho_gap", "  - id: noi_dau"))
    found = problems(intents_copy)
    assert any("missing 'question'" in p for p in found)
    dup = [p for p in found if "duplicate symptom id 'noi_dau'" in p]
    assert dup and dup[0].split(":")[1].isdigit()


def test_condition_errors(intents_copy):
    edit(intents_copy / "conditions.yaml", ("      noi_dau:", "      noi_dau_x:"))
    found = problems(intents_copy)
    assert any("unknown sign 'noi_dau_x'" in p and p.startswith("conditions.yaml:") for p in found)


def test_alias_of_two_conditions_is_an_error(intents_copy):
    edit(intents_copy / "conditions.yaml", ("    aliases: [trùng bánh xe,", "    aliases: [gan than mu, trùng bánh xe,"))
    found = problems(intents_copy)
    assert any("alias 'gan than mu'" in p and "gan_than_mu" in p and p.startswith("conditions.yaml:") for p in found)


def test_probability_out_of_range_and_missing_sources(intents_copy):
    import re

    path = intents_copy / "conditions.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(\n      dom_trang_noi_tang: )[0-9.]+", r"\g<1>1.5", text, count=1)
    text = text.replace("    sources:", "    sourcesx:", 1)
    path.write_text(text, encoding="utf-8")
    found = problems(intents_copy)
    assert any("must be between 0.0 and 1.0" in p for p in found)
    assert any("missing 'sources'" in p for p in found)


def test_sign_not_used_by_any_condition(intents_copy):
    edit(intents_copy / "symptoms.yaml",
         ("symptoms:\n", "symptoms:\n  - id: la_lung\n    name: Lạ\n    question: Có lạ không?\n    examples: [cá lạ lắm]\n"))
    assert any("'la_lung' is not used by any condition" in p for p in problems(intents_copy))


def test_cli_check_exit_codes(intents_copy):
    ok = subprocess.run([sys.executable, "-m", "bot", "intents", "check", "--intents", str(intents_copy)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    (intents_copy / "conditions.yaml").write_text("conditions:\n  - id: x\n    prior: abc\n", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "bot", "intents", "check", "--intents", str(intents_copy)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "conditions.yaml:3:" in bad.stderr and "Traceback" not in bad.stderr
