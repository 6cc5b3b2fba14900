"""Loads the Vietnamese language data (abbreviations, negation cues, clause breaks).

The data lives in ``bot/data/language.yaml`` so that it can be edited without touching code.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

LANGUAGE_FILE = Path(__file__).with_name("data") / "language.yaml"
SYLLABLES_FILE = Path(__file__).with_name("data") / "syllables.txt"


@functools.lru_cache(maxsize=1)
def vietnamese_syllables() -> frozenset[str]:
    """Every Vietnamese syllable, without marks (bot/data/syllables.txt)."""
    lines = SYLLABLES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class LanguageData:
    abbreviations: dict[str, str]
    negation_cues: tuple[str, ...]
    negation_window: int
    clause_breaks: tuple[str, ...]
    filler_words: frozenset[str]
    context_words: frozenset[str]
    body_parts: frozenset[str]
    number_word: str
    scored_as: dict[str, str] = field(default_factory=dict)
    dropped_phrases: tuple[str, ...] = ()
    size_units: dict[str, str] = field(default_factory=dict)
    list_joiners: frozenset[str] = frozenset()
    bot_names: frozenset[str] = frozenset()
    bot_read_as: str = "bạn"
    bubble_before: frozenset[str] = frozenset()
    bubble_after: frozenset[str] = frozenset()
    fish_words: frozenset[str] = frozenset()
    fish_name_words: frozenset[str] = frozenset()
    part_state_words: frozenset[str] = frozenset()
    fish_actions: frozenset[str] = frozenset()
    other_animals: dict[str, str] = field(default_factory=dict)  # as typed -> the name a reply shows
    people: tuple[str, ...] = ()
    breaks_kept_after: dict[str, frozenset[str]] = field(default_factory=dict)
    breaks_kept_before: dict[str, frozenset[str]] = field(default_factory=dict)
    opening_breaks: frozenset[str] = frozenset()
    carrying_phrases: tuple[str, ...] = ()
    report_words: tuple[str, ...] = ()
    other_fish_words: frozenset[str] = frozenset()
    other_fish_phrases: tuple[str, ...] = ()
    other_fish_openers: frozenset[str] = frozenset()
    disease_questions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ended_cues: tuple[str, ...] = ()
    ended_cue_set: frozenset[str] = frozenset()  # the same cues as a set: a word is one of them or not
    ended_words: frozenset[str] = frozenset()  # every word of the ended cues, for a quick test
    negation_exceptions: tuple[str, ...] = ()
    all_words: frozenset[str] = frozenset()
    all_of_nouns: frozenset[str] = frozenset()
    trailing_negations: tuple[str, ...] = ()
    trailing_particles: frozenset[str] = frozenset()
    final_negation: str = ""
    final_negation_not_after: frozenset[str] = frozenset()
    inner_fillers: frozenset[str] = frozenset()
    empty_after_cue: frozenset[str] = frozenset()
    less_words: frozenset[str] = frozenset()
    water_words: frozenset[str] = frozenset()
    pond_words: frozenset[str] = frozenset()
    gone_nouns: frozenset[str] = frozenset()
    gone_words: frozenset[str] = frozenset()  # "hết": gone, after such a noun
    gone_then: frozenset[str] = frozenset()  # "rồi" may follow it
    gone_now: tuple[str, ...] = ()  # "giờ" may stand before it, after any sign
    gone_over: tuple[str, ...] = ()  # what "giờ" is followed by then: "hết", "không còn"
    gone_done: tuple[str, ...] = ()  # "nay sục khí xong hết rồi": a deed done may stand between
    gone_had: frozenset[str] = frozenset()  # "bị nấm trắng hết": "bị" before the thing, "hết" is "all"
    hypothetical_opens: tuple[str, ...] = ()
    hypothetical_then: tuple[str, ...] = ()
    prevention_cues: tuple[str, ...] = ()
    just_asking_cues: tuple[str, ...] = ()
    general_asks: tuple[str, ...] = ()
    general_ask_after: frozenset[str] = frozenset()
    general_asks_anywhere: tuple[str, ...] = ()
    in_general: tuple[str, ...] = ()
    not_general: tuple[str, ...] = ()
    yes_no_enders: frozenset[str] = frozenset()
    hearsay_cues: tuple[str, ...] = ()
    own_markers: tuple[str, ...] = ()
    talk_enders: frozenset[str] = frozenset()
    guess_enders: frozenset[str] = frozenset()
    talk_not_after: frozenset[str] = frozenset()
    seen_words: frozenset[str] = frozenset()
    place_tokens: frozenset[str] = frozenset()  # place names as the normalizer joins them ("cà-mau")
    this_time: tuple[str, ...] = ()
    feed_words: tuple[str, ...] = ()
    pond_mates: tuple[str, ...] = ()
    simile_words: frozenset[str] = frozenset()
    opening_exclamations: tuple[str, ...] = ()
    only_opens: frozenset[str] = frozenset()
    only_closes: dict[str, str] = field(default_factory=dict)
    cue_words_marks_required: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=1)
def language_data() -> LanguageData:
    raw = yaml.safe_load(LANGUAGE_FILE.read_text(encoding="utf-8"))
    bot_name = raw.get("bot_name") or {}
    # A place name or a filler phrase is typed as words but read as one ("cà mau" -> "cà-mau"), a filler.
    one_word = {str(p).lower(): str(p).lower().replace(" ", "-")
                for p in raw.get("place_names", []) + raw.get("filler_phrases", [])}
    ended = tuple(str(c) for c in raw.get("ended_cues", []))
    return LanguageData(
        abbreviations={str(k).lower(): str(v) for k, v in raw["abbreviations"].items()} | one_word,
        dropped_phrases=tuple(str(p).lower() for p in raw.get("dropped_phrases", [])),
        negation_cues=tuple(str(c) for c in raw["negation_cues"]),
        negation_window=int(raw.get("negation_window", 4)),
        clause_breaks=tuple(str(c) for c in raw["clause_breaks"]),
        breaks_kept_after={str(k): frozenset(str(w) for w in v) for k, v in (raw.get("breaks_kept_after") or {}).items()},
        breaks_kept_before={str(k): frozenset(str(w) for w in v) for k, v in (raw.get("breaks_kept_before") or {}).items()},
        opening_breaks=frozenset(str(w) for w in raw.get("opening_breaks", [])),
        filler_words=frozenset(str(w) for w in raw["filler_words"]) | set(one_word.values()),
        context_words=frozenset(str(w) for w in raw.get("context_words", [])),
        body_parts=frozenset(str(w) for w in raw.get("body_parts", [])),
        other_fish_words=frozenset(str(w) for w in raw.get("other_fish_words", [])),
        other_fish_phrases=tuple(str(w) for w in raw.get("other_fish_phrases", [])),
        other_fish_openers=frozenset(str(w) for w in raw.get("other_fish_openers", [])),
        other_animals={str(w): str(w) for w in raw.get("other_animals", [])}
        | {str(k): str(v) for k, v in (raw.get("other_animals_unmarked") or {}).items()},
        people=tuple(str(w) for w in raw.get("people", [])),
        carrying_phrases=tuple(str(w) for w in raw.get("carrying_phrases", [])),
        report_words=tuple(str(w) for w in raw.get("report_words", [])),
        fish_words=frozenset(str(w) for w in raw.get("fish_words", [])),
        fish_name_words=frozenset(str(w) for w in raw.get("fish_name_words", [])),
        part_state_words=frozenset(str(w) for w in raw.get("part_state_words", [])),
        fish_actions=frozenset(str(w) for w in raw.get("fish_actions", [])),
        disease_questions={k: tuple(str(c) for c in v) for k, v in (raw.get("disease_questions") or {}).items()},
        negation_exceptions=tuple(str(c) for c in raw.get("negation_exceptions", [])),
        ended_cues=ended,
        ended_cue_set=frozenset(ended),
        ended_words=frozenset(w for c in ended for w in c.split()),
        all_words=frozenset(str(w) for w in raw.get("all_words", [])),
        all_of_nouns=frozenset(str(w) for w in raw.get("all_of_nouns", [])),
        trailing_negations=tuple(str(c) for c in raw.get("trailing_negations", [])),
        trailing_particles=frozenset(str(w) for w in raw.get("trailing_particles", [])),
        final_negation=str(raw.get("final_negation", "")),
        final_negation_not_after=frozenset(str(w) for w in raw.get("final_negation_not_after", [])),
        inner_fillers=frozenset(str(w) for w in raw.get("inner_fillers", [])),
        empty_after_cue=frozenset(str(w) for w in raw.get("empty_after_cue", [])),
        less_words=frozenset(str(w) for w in raw.get("less_words", [])),
        water_words=frozenset(str(w) for w in raw.get("water_words", [])),
        pond_words=frozenset(str(w) for w in raw.get("pond_words", [])),
        gone_nouns=frozenset(str(w) for w in raw.get("gone_nouns", [])),
        gone_words=frozenset(str(w) for w in (raw.get("gone_words") or {}).get("gone", [])),
        gone_then=frozenset(str(w) for w in (raw.get("gone_words") or {}).get("then", [])),
        gone_now=tuple(str(w) for w in (raw.get("gone_words") or {}).get("now", [])),
        gone_over=tuple(str(w) for w in (raw.get("gone_words") or {}).get("over", [])),
        gone_done=tuple(str(w) for w in (raw.get("gone_words") or {}).get("done", [])),
        gone_had=frozenset(str(w) for w in (raw.get("gone_words") or {}).get("had", [])),
        hypothetical_opens=tuple(str(w) for w in (raw.get("hypothetical") or {}).get("opens", [])),
        hypothetical_then=tuple(str(w) for w in (raw.get("hypothetical") or {}).get("then", [])),
        prevention_cues=tuple(str(c) for c in raw.get("prevention_cues", [])),
        just_asking_cues=tuple(str(c) for c in raw.get("just_asking_cues", [])),
        general_asks=tuple(str(c) for c in (raw.get("general_questions") or {}).get("asks", [])),
        general_ask_after=frozenset(str(c) for c in (raw.get("general_questions") or {}).get("after", [])),
        general_asks_anywhere=tuple(str(c) for c in (raw.get("general_questions") or {}).get("anywhere", [])),
        in_general=tuple(str(c) for c in (raw.get("general_questions") or {}).get("in_general", [])),
        not_general=tuple(str(c) for c in (raw.get("general_questions") or {}).get("not_general", [])),
        yes_no_enders=frozenset(str(c) for c in (raw.get("general_questions") or {}).get("yes_no_enders", [])),
        hearsay_cues=tuple(str(c) for c in raw.get("hearsay_cues", [])),
        own_markers=tuple(str(c) for c in raw.get("own_markers", [])),
        talk_enders=frozenset(str(c) for c in raw.get("talk_enders", [])),
        guess_enders=frozenset(str(c) for c in raw.get("guess_enders", [])),
        talk_not_after=frozenset(str(c) for c in raw.get("talk_not_after", [])),
        seen_words=frozenset(str(c) for c in raw.get("seen_words", [])),
        place_tokens=frozenset(str(p).lower().replace(" ", "-") for p in raw.get("place_names", [])),
        this_time=tuple(str(c) for c in raw.get("this_time", [])),
        feed_words=tuple(str(c) for c in raw.get("feed_words", [])),
        pond_mates=tuple(str(c) for c in raw.get("pond_mates", [])),
        simile_words=frozenset(str(c) for c in raw.get("simile_words", [])),
        opening_exclamations=tuple(str(c) for c in raw.get("opening_exclamations", [])),
        only_opens=frozenset(str(w) for w in (raw.get("only_frame") or {}).get("opens", [])),
        only_closes={str(k): str(v) for k, v in ((raw.get("only_frame") or {}).get("closes") or {}).items()},
        cue_words_marks_required=frozenset(str(w) for w in raw.get("cue_words_marks_required", [])),
        number_word=str(raw.get("number_word", "mấy")),
        scored_as={str(k): str(v) for k, v in (raw.get("scored_as") or {}).items()},
        size_units={str(k): str(v) for k, v in (raw.get("size_units") or {}).items()},
        list_joiners=frozenset(str(w) for w in raw.get("list_joiners", [])),
        bot_names=frozenset(str(w) for w in bot_name.get("words", [])),
        bot_read_as=str(bot_name.get("read_as", "bạn")),
        bubble_before=frozenset(str(w) for w in bot_name.get("bubble_words_before", [])),
        bubble_after=frozenset(str(w) for w in bot_name.get("bubble_words_after", [])),
    )
