"""Who a message is about: a person or another animal, rather than the farmer's fish.

"vợ em bỏ ăn từ hôm qua" is about a person, "gà nhà em bỏ ăn" about a chicken, "cám nổi lềnh bềnh"
about the feed: no fish sign is read in such words. The names and the words that tell them live in `bot/data/language.yaml`.
"""

from __future__ import annotations

import functools
from typing import Callable

from bot.clauses import first_phrase_at, first_words, phrase_at
from bot.language import language_data


def about_people(clauses: list[list[str]], names_fish: Callable[[], bool]) -> frozenset[tuple[int, int]]:
    """(clause, word) positions told about a person, not a fish: from the person's name to the end of
    a clause that names no fish ("vợ em mấy bữa nay bỏ ăn"), or up to a word saying the person saw or
    told it ("ông xã em thấy mấy con nổi đầu": the fish are surfacing). When the message names no fish
    (``names_fish()`` false), the clauses after such a clause are about the person too."""
    firsts = first_words("people")
    if all(firsts.isdisjoint(tokens) for tokens in clauses):
        return frozenset()  # most messages name nobody
    data = language_data()
    positions = set()
    for ci, tokens in enumerate(clauses):
        if firsts.isdisjoint(tokens) or not data.fish_words.isdisjoint(tokens):
            continue
        at = next((i for i in range(len(tokens)) if phrase_at(tokens, i, "people")), None)
        if at is None:
            continue
        end = next((j for j in range(at + 1, len(tokens)) if phrase_at(tokens, j, "report_words")), len(tokens))
        positions.update((ci, j) for j in range(at, end))
        if end == len(tokens) and not names_fish():
            positions.update((later, j) for later in range(ci + 1, len(clauses)) for j in range(len(clauses[later])))
            break
    return frozenset(positions)


def animal_clauses(clauses: list[list[str]], names_fish: Callable[[list[str]], bool]) -> frozenset[tuple[int, int]]:
    """(clause, word) positions of the clauses about an animal kept with the fish ("ếch với cá trê nuôi
    chung ao, ếch bị đỏ đùi chết, cá trê không chết con nào"): a clause naming the animal and no fish,
    and the clauses after it until one names the fish ("ech bi do chan, sinh bung, bo an")."""
    data = language_data()
    mates = first_words("pond_mates")
    if all(mates.isdisjoint(tokens) for tokens in clauses):
        return frozenset()  # most messages name no other animal
    positions = set()
    about_animal = False
    for ci, tokens in enumerate(clauses):
        if names_fish(tokens):
            about_animal = False
        elif not mates.isdisjoint(tokens) and any(
                phrase_at(tokens, i, "pond_mates") and data.simile_words.isdisjoint(tokens[max(0, i - 2) : i])
                for i in range(len(tokens))):
            about_animal = True  # "mắt lồi ra như mắt ếch" compares, it does not name the frog
        if about_animal:
            positions.update((ci, j) for j in range(len(tokens)))
    return frozenset(positions)


def feed_tails(clauses: list[list[str]]) -> frozenset[tuple[int, int]]:
    """(clause, word) positions where no sign may start because the feed is what they tell of: after a
    feed word opening a clause's talk, up to the next word for the fish ("cám em rải xuống cứ nổi lềnh
    bềnh" is the feed floating, not dead fish; "thả cám xuống cá không lên đớp" is still the fish). A
    span holding the feed word itself still reads ("cám còn nguyên" is off feed)."""
    data = language_data()
    positions = set()
    for ci, tokens in enumerate(clauses):
        at = first_phrase_at(tokens, "feed_words")
        if at is None or not data.fish_words.isdisjoint(tokens[:at]):
            continue
        for j in range(at + phrase_at(tokens, at, "feed_words"), len(tokens)):
            if tokens[j] in data.fish_words:
                break
            positions.add((ci, j))
    return frozenset(positions)


def other_animal(clauses: list[list[str]]) -> str | None:
    """The other animal a message is about ("gà nhà em bỏ ăn"), when it names no fish at all. The first
    in the language data's order wins."""
    data = language_data()
    words = [w for clause in clauses for w in clause]
    if data.fish_words.intersection(words):
        return None
    by_first = _animals_by_first_word()
    found = [rank for i, w in enumerate(words) for parts, rank in by_first.get(w, ())
             if words[i : i + len(parts)] == parts]
    return _animal_names()[min(found)] if found else None


@functools.lru_cache(maxsize=1)
def _animal_names() -> list[str]:
    return list(language_data().other_animals.values())


@functools.lru_cache(maxsize=1)
def _animals_by_first_word() -> dict[str, list[tuple[list[str], int]]]:
    """First word -> (the name's words, its rank in the data) for every way of naming an animal."""
    index: dict[str, list[tuple[list[str], int]]] = {}
    for rank, typed in enumerate(language_data().other_animals):
        parts = typed.split()
        index.setdefault(parts[0], []).append((parts, rank))
    return index


def about_other_fish(tokens: list[str]) -> bool:
    """The clause is about other fish than those just spoken of: "mấy con khác", "(còn) lại thì không"."""
    data = language_data()
    return (not data.other_fish_words.isdisjoint(tokens) or (bool(tokens) and tokens[0] in data.other_fish_openers)
            or bool(other_fish_phrases([tokens])))


def other_fish_phrases(clauses: list[list[str]]) -> frozenset[tuple[int, int]]:
    """(clause, word) positions of the phrases naming other fish ("con còn sống", "còn lại"): they
    carry no sign, so "con còn sống bị trầy vảy" does not read as "no deaths"."""
    firsts = first_words("other_fish_phrases")
    positions = set()
    for ci, tokens in enumerate(clauses):
        if firsts.isdisjoint(tokens):
            continue
        for i in range(len(tokens)):
            length = phrase_at(tokens, i, "other_fish_phrases")
            positions.update((ci, j) for j in range(i, i + length))
    return frozenset(positions)
