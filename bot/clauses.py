"""Clause splitting and negation cues for normalized Vietnamese text.

A message like "cá không nổi đầu nhưng bỏ ăn" is split into clauses ("cá không nổi đầu",
"bỏ ăn") so that a negation only reaches the signs of its own clause.
"""

from __future__ import annotations

import functools
import re

from bot.language import language_data
from bot.normalize import fold_accents

# Clause ends at line breaks, ; ! ? and at , . : unless they sit inside a number (0,5 or 1.000).
_PUNCT_SPLIT = re.compile(r"[\n;!?+]|(?<!\d)[,.:]|[,.:](?!\d)")
_TOKEN = re.compile(r"[\w]+(?:[-/,.][\w]+)*", re.UNICODE)
# "con/ngày" is two words ("con mỗi ngày"); "1/2" stays one number.
_WORD_SLASH = re.compile(r"(?<=[^\W\d_])/(?=[^\W\d_])")

# Bound the work one message can cause: farmers describe a pond in far fewer words.
MAX_TOKENS = 160
# A clause this short, naming no fish or time, goes on with the talk before it ("..., bị đốm đỏ").
TALK_GOES_ON_WORDS = 8
# ... when more than this many words follow the cue in its own clause.
TALK_CUE_THEN_WORDS = 2


@functools.lru_cache(maxsize=1)
def _break_pattern() -> re.Pattern[str]:
    words = sorted(language_data().clause_breaks, key=len, reverse=True)
    # A break word inside a joined phrase ("bao-giờ") is part of that word.
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")


def split_clauses(normalized: str) -> list[list[str]]:
    """Split normalized text into clauses, each a list of word tokens (at most MAX_TOKENS in all)."""
    clauses: list[list[str]] = []
    budget = MAX_TOKENS
    data = language_data()
    kept_after, kept_before, opening = data.breaks_kept_after, data.breaks_kept_before, data.opening_breaks
    if "/" in normalized:
        normalized = _WORD_SLASH.sub(" ", normalized)
    for part in _PUNCT_SPLIT.split(normalized):
        pieces = _break_pattern().split(part)  # text, break word, text, break word, ...
        tokens: list[str] = []
        for i in range(0, len(pieces), 2):
            word = pieces[i - 1] if i else None
            if word in kept_after and tokens and (tokens[-1] in kept_after[word]
                                                  or ("#" in kept_after[word] and tokens[-1].isdigit())):
                tokens.append(word)  # "không còn", "4 giờ": the break word stays in the clause
            elif word in kept_before and tokens and (pieces[i].split() or [""])[0] in kept_before[word]:
                tokens.append(word)  # "cám còn nguyên"
            elif word is not None:
                if tokens:
                    clauses.append(tokens[:budget])
                    budget -= len(clauses[-1])
                # "giờ hết cọ": an opening break word begins the clause it starts.
                tokens = [word] if word in opening else []
            if budget <= 0:
                return clauses
            tokens += _TOKEN.findall(pieces[i])
        if tokens:
            clauses.append(tokens[:budget])
            budget -= len(clauses[-1])
        if budget <= 0:
            return clauses
    return clauses


def close_only_frame(tokens: list[str]) -> list[str]:
    """ "chi bi troc vay thoi" -> "... thôi": the last word of a clause opened by "chỉ" closes the frame."""
    data = language_data()
    if len(tokens) > 1 and tokens[-1] in data.only_closes and not data.only_opens.isdisjoint(tokens[:-1]):
        return tokens[:-1] + [data.only_closes[tokens[-1]]]
    return tokens


@functools.lru_cache(maxsize=65536)
def _folded(token: str) -> str:
    return fold_accents(token)


def _has_marks(token: str) -> bool:
    return _folded(token) != token


@functools.lru_cache(maxsize=None)
def phrase_list(name: str) -> tuple[tuple[str, ...], ...]:
    """A phrase list of the language data (negation_cues, ended_cues...), each phrase split into words."""
    return tuple(tuple(phrase.split()) for phrase in getattr(language_data(), name))


def _token_is(token: str, cue_word: str) -> bool:
    # A word typed without any diacritic may stand for the cue ("chua" for "chưa");
    # a word typed with its own marks must match exactly ("chua" sour is not "chưa").
    return token == cue_word or (not _has_marks(token) and token == _folded(cue_word)
                                 and token not in language_data().cue_words_marks_required)


def _longest_at(tokens: list[str], i: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """Length of the longest phrase that starts at word i (0 if none)."""
    return max((len(p) for p in phrases if i + len(p) <= len(tokens) and all(_token_is(t, w) for t, w in zip(tokens[i:], p))), default=0)


@functools.lru_cache(maxsize=1)
def _cue_first_words() -> frozenset[str]:
    words = {cue[0] for cue in phrase_list("negation_cues")}
    return frozenset(words | {fold_accents(w) for w in words})


def _cue_matches(tokens: list[str]) -> tuple[tuple[int, int], ...]:
    """(first word, length) of each negation cue, longest cue first at each position."""
    return _cue_matches_in(tuple(tokens))


@functools.lru_cache(maxsize=4096)
def _cue_matches_in(tokens: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    # Cached: the same clause is asked about again for every sign read in it.
    found = []
    cues = phrase_list("negation_cues")
    first = _cue_first_words()
    i = 0
    while i < len(tokens):
        if tokens[i] not in first:  # most words cannot start a cue: skip the full comparison
            i += 1
            continue
        skip = _longest_at(tokens, i, phrase_list("negation_exceptions"))
        if skip:
            i += skip
            continue
        best = _longest_at(tokens, i, cues)
        if best:
            found.append((i, best))
            i += best
        else:
            i += 1
    return tuple(found)


def cue_words(tokens: list[str]) -> tuple[list[bool], list[bool]]:
    """Per word: starts a negation cue; belongs to one ("không hề": both words, started once)."""
    starts, inside = [False] * len(tokens), [False] * len(tokens)
    for i, length in _cue_matches(tokens):
        starts[i] = True
        inside[i : i + length] = [True] * length
    return starts, inside


def count_negations(tokens: list[str]) -> int:
    """Number of negation cues in a token sequence (multi-word cues count once)."""
    return len(_cue_matches(tokens))


def count_reaching_negations(tokens: list[str]) -> int:
    """Negation cues that deny something in the sequence: a cue with only small words after it denies
    what comes after the sequence ("gan sạch không có" + "đốm"), not the sequence itself."""
    return _count_reaching_in(tuple(tokens))


@functools.lru_cache(maxsize=4096)
def _count_reaching_in(tokens: tuple[str, ...]) -> int:
    data = language_data()
    small = data.inner_fillers | data.empty_after_cue
    matches = _cue_matches(tokens)
    cue_positions = {i + k for i, length in matches for k in range(length)}
    return sum(1 for i, length in matches
               if any(t not in small and j not in cue_positions for j, t in enumerate(tokens[i + length :], i + length)))


def negation_window() -> int:
    return language_data().negation_window


def word_roles(tokens: list[str]) -> tuple[list[bool], list[bool]]:
    """Per word: can carry a sign on its own; is a body part or neutral verb."""
    data = language_data()
    content = [not (t in data.filler_words or t in data.context_words or t.isdigit()) for t in tokens]
    context = [t in data.context_words for t in tokens]
    if not first_words("carrying_phrases").isdisjoint(tokens):
        for i in range(len(tokens)):
            length = phrase_at(tokens, i, "carrying_phrases")
            if length:
                # Its last word carries it, so a span must reach the end of the phrase: "không
                # muốn" alone says nothing, "không muốn ăn" does.
                content[i + length - 1] = True
    return content, context


def ended_before(tokens: list[str], start: int, end: int) -> bool:
    """Words right before the sign's words say it is over ("hết nổi đầu", "cá trê hết lở loét").

    Such a word must have sign words after it in the span: "chết hết" is everyone dead.
    """
    data = language_data()
    cues = phrase_list("ended_cues")
    longest = max((len(c) for c in cues), default=0)
    if data.ended_words.isdisjoint(tokens[max(0, start - longest) : end]):
        return False
    for words in cues:
        n = len(words)
        for at in range(max(0, start - n), end - n):
            after = tokens[at + n]
            # "hết" before a part or a thing is "all of it": "trầy hết vảy", "nhạt hết màu", "ăn không hết
            # cám"; but "hết phân trắng" is the feces gone (the part is what the sign is named by).
            if (tuple(tokens[at : at + n]) == words and after not in data.all_words and not after.isdigit()
                    and (after not in data.body_parts or after in data.gone_nouns) and after not in data.all_of_nouns):
                return True
    return False


def not_over_yet(tokens: list[str], start: int) -> bool:
    """A denied "over" right before the sign's words: "chưa hết đốm đỏ", "trị 3 ngày không hết nổi đầu" say
    the sign is still there."""
    if start < 2 or tokens[start - 1] not in language_data().ended_words:
        return False
    for words in phrase_list("ended_cues"):
        at = start - len(words)
        if at >= 1 and tuple(tokens[at:start]) == words and _cue_matches_in((tokens[at - 1],)):
            return True
    return False


def gone_after(tokens: list[str], start: int, end: int) -> bool:
    """A thing the sign is named by is said to be gone: "phân trắng hết rồi", "nấm bông hết rồi anh";
    and any sign followed by "giờ hết rồi" is over.

    Only "hết" closing the clause or followed by "rồi": in "đốm đỏ hết cả mình" the spots are all over.
    """
    data = language_data()
    gone = data.gone_words
    if over_now(tokens[end:]):  # "bị lồi mắt giờ hết rồi": now it is over, whatever the sign
        return True
    head_at = next((i for i in range(start, end) if tokens[i] not in data.filler_words), None)
    if head_at is None or tokens[head_at] not in data.gone_nouns:
        return False
    # "bị nấm mốc trắng hết" (all covered) is not "nấm hết rồi" (gone): "bị" before it, no "rồi" after.
    had = not data.gone_had.isdisjoint(tokens[start:head_at])
    at = end - 1 if tokens[end - 1] in gone else end
    # Where the thing was may stand between ("đốm trắng trên da hết rồi").
    while at < len(tokens) and tokens[at] not in gone and (tokens[at] in data.filler_words or tokens[at] in data.body_parts):
        at += 1
    if at >= len(tokens) or tokens[at] not in gone:
        return False
    rest = tokens[at + 1 :]
    if not rest:
        return not had
    return rest[0] in data.gone_then or all(t in data.trailing_particles for t in rest)


@functools.lru_cache(maxsize=None)
def first_words(name: str) -> frozenset[str]:
    """The words a phrase list's phrases start with: a clause without any of them has none of the phrases."""
    return frozenset(phrase[0] for phrase in phrase_list(name))


@functools.lru_cache(maxsize=None)
def _phrases_by_first_word(name: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """First word -> the phrases of the list that start with it, in the list's order."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrase_list(name):
        index.setdefault(phrase[0], []).append(phrase)
    return {word: tuple(phrases) for word, phrases in index.items()}


def phrase_at(tokens: list[str], i: int, name: str) -> int:
    """Length of a phrase of the list ``name`` that starts at word i, exactly as written (0 if none)."""
    if i >= len(tokens):
        return 0
    phrases = _phrases_by_first_word(name).get(tokens[i])
    if not phrases:
        return 0
    return next((len(p) for p in phrases if len(p) == 1 or tuple(tokens[i : i + len(p)]) == p), 0)


def first_phrase_at(tokens: list[str], name: str) -> int | None:
    """Where the first phrase of the list ``name`` starts in the clause (None if it holds none)."""
    if first_words(name).isdisjoint(tokens):
        return None
    return next((i for i in range(len(tokens)) if phrase_at(tokens, i, name)), None)


def _hypothetical_at(tokens: list[str]) -> int | None:
    """Where a general question opens ("cá có bị nổi đầu khi trời âm u không"): "có bị", then "khi",
    "lúc" or "thì nên" later in the clause. "khi" counts only in a clause mostly typed with marks."""
    at = first_phrase_at(tokens, "hypothetical_opens")
    if at is None:
        return None
    marked = 2 * sum(map(_has_marks, tokens)) >= len(tokens)  # "không" may come from "khong"
    for i in range(at + 2, len(tokens)):
        length = phrase_at(tokens, i, "hypothetical_then")
        if length and (marked or tokens[i] != "khi"):
            return at
    return None


def over_now(words: list[str], deeds_between: bool = False) -> bool:
    """The words say it is over now, and nothing after that: "giờ hết", "nay hết rồi anh". As a clause of
    its own it ends the signs just told. "giờ" (now) must be there: "cá chết, hết rồi" is every fish dead.
    What the farmer did may stand between when it is said done ("nay sục khí xong hết rồi"), or, with
    ``deeds_between`` (the caller found no sign in those words), in any words ("sáng nay chạy quạt hết rồi")."""
    data = language_data()
    # In a clause telling no sign, what was done may stand before "now" too ("xử lý xong nay hết rồi").
    at = next((i for i in range(len(words) if deeds_between else 1) if phrase_at(words, i, "gone_now")), None)
    if at is None:
        return False
    now = at + phrase_at(words, at, "gone_now")
    for start in range(now, len(words)):
        over = phrase_at(words, start, "gone_over")
        if over and (start == now or deeds_between or phrase_at(words, start - 1, "gone_done")):
            rest = words[start + over :]
            if not rest or rest[0] in data.gone_then or all(t in data.trailing_particles for t in rest):
                return True
    return False


def prevention_talk(clauses: list[list[str]]) -> frozenset[tuple[int, int]]:
    """(clause, word) positions that tell no sign seen: those after a word about preventing disease in
    their clause (in "vaccine phòng xuất huyết" the haemorrhage is not a sign the farmer saw), a general
    question or talk of other farms, causes, fears and drugs (unless the clause says the fish are the
    farmer's own), an exclamation opening the message, and every word of a message that says it only
    asks ahead. Such talk goes on in the short clauses after it that name no fish and no "now"
    ("nhiều người bảo cá hay bị nấm, bị đốm đỏ")."""
    positions = set()
    talking = False
    for ci, tokens in enumerate(clauses):
        at = first_phrase_at(tokens, "prevention_cues")
        cue = phrase_at(tokens, at, "prevention_cues") if at is not None else 0
        end = len(tokens)
        if at is None:
            at = _hypothetical_at(tokens)
        else:  # "có phải bị nấm không mà trên lưng có chùm trắng": what follows "mà" (but) was seen.
            end = next((j for j in range(at + cue, len(tokens)) if tokens[j] in language_data().guess_enders), end)
        heard = _hearsay_at(tokens)
        if heard is not None and (at is None or heard < at):
            at, cue = heard, phrase_at(tokens, heard, "hearsay_cues")
            # "em lo quá nên ra lồng coi thì thấy ...": what follows "nên" (so) was seen.
            end = next((j for j in range(at + cue, len(tokens)) if tokens[j] in language_data().talk_enders), end)
        goes_on = at is None and talking and _goes_on(tokens)
        if goes_on:
            at = 0
        if at is not None:
            positions.update((ci, j) for j in range(at, end))
        # Only talk that says something after its cue goes on: not "chết ít hơn đợt trước nhiều".
        talking = goes_on or (at is not None and end == len(tokens) and len(tokens) - at - cue > TALK_CUE_THEN_WORDS)
    if len(clauses) > 1 and tuple(clauses[0]) in phrase_list("opening_exclamations"):
        positions.update((0, j) for j in range(len(clauses[0])))  # "Chết rồi, quên mua thuốc": oh no
    if _asks_in_general(clauses) or any(first_phrase_at(tokens, "just_asking_cues") is not None for tokens in clauses):
        # "... nên xử lý sao? Hỏi để biết trước thôi": the whole message asks ahead, no fish is sick.
        positions.update((ci, j) for ci, tokens in enumerate(clauses) for j in range(len(tokens)))
    return frozenset(positions)


def _asks_in_general(clauses: list[list[str]]) -> bool:
    """The message asks about a sign in general ("cá nổi đầu thì nên làm gì?", "máu nâu ở cá là do gì") and
    says nothing of the farmer's own fish, of now, or of what was seen."""
    if not any(_asks_about_a_sign(tokens) for tokens in clauses):
        return False
    data = language_data()
    blockers = ("own_markers", "this_time", "gone_now", "not_general")
    return all(data.seen_words.isdisjoint(tokens) and all(first_phrase_at(tokens, name) is None for name in blockers)
               for tokens in clauses)


def _asks_about_a_sign(tokens: list[str]) -> bool:
    """The clause asks in general: "do đâu" anywhere, "cá có bị nổi đầu không?" (a yes-no question), or an
    ask right after "thì"/"cá" or after "ở cá" ("đốm trắng trên da cá là bệnh gì")."""
    data = language_data()
    if first_phrase_at(tokens, "general_asks_anywhere") is not None:
        return True
    if tokens[-1] in data.yes_no_enders and first_phrase_at(tokens, "hypothetical_opens") is not None:
        return True
    if first_words("general_asks").isdisjoint(tokens):
        return False
    generic = first_phrase_at(tokens, "in_general")
    return any(phrase_at(tokens, i, "general_asks") and (tokens[i - 1] in data.general_ask_after
                                                         or (generic is not None and generic < i))
               for i in range(1, len(tokens)))


def _hearsay_at(tokens: list[str]) -> int | None:
    """Where talk of other farms, causes, fears or drugs opens, unless the clause says the fish are the
    farmer's own ("thằng Tèo hàng xóm qua coi nói cá lóc nhà tui bị rận"). "hàng xóm nhà em" is the
    farmer's neighbour: an own marker right after the cue belongs to it."""
    data = language_data()
    at = None
    if not first_words("hearsay_cues").isdisjoint(tokens):
        at = next((i for i in range(len(tokens)) if phrase_at(tokens, i, "hearsay_cues")
                   and not (i and tokens[i - 1] in data.talk_not_after)), None)
    if at is None:
        at = _person_elsewhere_at(tokens)
    if at is None:
        return None
    cue_end = at + (phrase_at(tokens, at, "hearsay_cues") or phrase_at(tokens, at, "people"))
    if first_words("own_markers").isdisjoint(tokens):
        return at
    own = any(phrase_at(tokens, i, "own_markers") for i in range(len(tokens)) if i != cue_end)
    return None if own else at


def _person_elsewhere_at(tokens: list[str]) -> int | None:
    """Where a person named with a place after them opens the clause's talk: "thằng em ở Tiền Giang nuôi
    điêu hồng, cá bị mắt lồi" is the brother's farm."""
    data = language_data()
    if data.place_tokens.isdisjoint(tokens) or first_words("people").isdisjoint(tokens):
        return None
    place = next(i for i, t in enumerate(tokens) if t in data.place_tokens)
    return next((i for i in range(place) if phrase_at(tokens, i, "people")), None)


def _goes_on(tokens: list[str]) -> bool:
    """A short clause that names no fish, no owner, no "now" and nothing seen ("vì tui chưa thấy đốm đỏ
    gì hết") goes on with what was said before."""
    data = language_data()
    return (len(tokens) <= TALK_GOES_ON_WORDS and data.fish_words.isdisjoint(tokens) and data.seen_words.isdisjoint(tokens)
            and all(first_phrase_at(tokens, name) is None for name in ("own_markers", "gone_now", "this_time")))


def denied_after(tokens: list[str], end: int) -> bool:
    """The rest of the clause after a span denies it ("nổi đầu á thì không có", "có nổi đầu đâu")."""
    data = language_data()
    rest = tokens[end:]
    if not rest:
        return False
    core = list(rest)
    while core and core[-1] in data.trailing_particles:
        core.pop()
    # Small words may open the rest ("á thì không có"), or belong to the denial itself ("thì không").
    start = 0
    while True:
        if start < len(core) and _longest_at(core, start, phrase_list("trailing_negations")) == len(core) - start:
            return True
        if start >= len(core) or core[start] not in data.trailing_particles:
            break
        start += 1
    core = core[start:]
    # "có nổi đầu đâu": nothing but small words between the span and a final "đâu".
    final = data.final_negation
    if final and not core and rest[-1] in (final, fold_accents(final)):
        before = tokens[len(tokens) - 2] if len(tokens) >= 2 else ""
        return before not in data.final_negation_not_after
    return False
