"""Vietnamese text normalization for short, messy farmer messages.

Pure functions, no I/O beyond the cached language data. Two views of a message are used
downstream: ``normalize_text`` (NFC, lower case, diacritics kept) for the encoder, and
``fold_accents`` (no diacritics at all) for the lexical score and for cue words, so that
messages typed without diacritics still match.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from bot.language import language_data
from bot.telex import read_telex

# Messages longer than this are cut: nothing a farmer types about one pond needs more,
# and it bounds the work a hostile message can cause.
MAX_CHARS = 2000

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
VOWELS = set("aăâeêioôơuưy")
# Vowels whose quality mark makes them the tone carrier in a cluster.
MARKED_VOWELS = set("ăâêôơư")

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_REPEATED_PUNCT = re.compile(r"([!?.,;:~\-])(\s*\1)+")
_MIXED_PUNCT = re.compile(r"[!?]{2,}")
_SPACES = re.compile(r"[ \t\u00a0]+")
# "DO" in capitals, in a message that is not all capitals, is the dissolved oxygen ("DO đo được 1.8"), not "đỏ".
_OXYGEN = re.compile(r"(?<!\w)DO(?!\w)")
# A number glued to the word after it ("chết 10con", "3ngay"): two letters or more, so "4h" and "m2" stay.
_GLUED_NUMBER = re.compile(r"(\d)([^\W\d_]{2,})")
# Punctuation we keep: clause separators, hyphens and digits' separators.
_KEEP_PUNCT = set(",.;:!?-/%")


def _clean_char(ch: str) -> str:
    if ch in "\n\r":
        return "\n"
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Cc", "Cs", "Co", "Cn"):
        # Zero-width spaces, joiners, BOM and control characters: invisible noise.
        return ""
    if cat in ("So", "Sk", "Me") or 0xFE00 <= ord(ch) <= 0xFE0F:
        return " "  # emoji and their modifiers separate words
    if cat.startswith("P") and ch not in _KEEP_PUNCT:
        return " "
    return ch


class _CleanTable(dict):
    """``str.translate`` table filled on first sight of each character (a per-character Python
    loop cost more than the rest of normalization). Bounded, since hostile text can hold many."""

    def __missing__(self, code: int) -> str:
        if len(self) > 20_000:
            self.clear()
        self[code] = value = _clean_char(chr(code))
        return value


_CLEAN_TABLE = _CleanTable()


def _strip_invisible_and_symbols(text: str) -> str:
    return text.translate(_CLEAN_TABLE)


def fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    decomposed = unicodedata.normalize("NFD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)  # called on the same words over and over
def fold_accents(text: str) -> str:
    """Remove every diacritic (tones and vowel marks) and map đ to d."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _squeeze_word(word: str) -> str:
    """Collapse letters typed again and again ("nhiềuuuu", "chếtt"), keeping the toned one."""
    if len(word) < 2:
        return word
    out: list[str] = []
    run: list[str] = [word[0]]
    for ch in word[1:]:
        if fold_char(ch) == fold_char(run[-1]):
            run.append(ch)
            continue
        out.append(_collapse_run(run))
        run = [ch]
    out.append(_collapse_run(run))
    return "".join(out)


def _collapse_run(run: list[str]) -> str:
    # "oo" is the one real double letter in Vietnamese (xoong, boong).
    if len(run) == 1 or (len(run) == 2 and fold_char(run[0]) == "o"):
        return "".join(run)
    return max(run, key=lambda c: len(unicodedata.normalize("NFD", c)))


@functools.lru_cache(maxsize=8192)
def _place_tone(word: str) -> str:
    """Put the tone mark where the classic spelling puts it (hoà -> hòa, thuý -> thúy)."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in TONE_MARKS]
    if len(tones) != 1:
        return word
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    if len(base) > 7:
        return word
    start = 0
    if base.startswith("qu"):
        start = 2
    elif base.startswith("gi") and len(base) > 2 and base[2] in VOWELS:
        start = 2
    while start < len(base) and base[start] not in VOWELS:
        start += 1
    end = start
    while end < len(base) and base[end] in VOWELS:
        end += 1
    cluster = base[start:end]
    if not cluster:
        return word
    if "ơ" in cluster and "ư" in cluster:
        pos = start + cluster.index("ơ")
    elif any(c in MARKED_VOWELS for c in cluster):
        pos = start + next(i for i, c in enumerate(cluster) if c in MARKED_VOWELS)
    elif len(cluster) == 3:
        pos = start + 1
    elif len(cluster) == 2:
        pos = start + (1 if end < len(base) else 0)
    else:
        pos = start
    placed = base[: pos + 1] + tones[0] + base[pos + 1 :]
    return unicodedata.normalize("NFC", placed)


@functools.lru_cache(maxsize=65536)
def _fix_word_text(word: str) -> str:
    return _place_tone(_squeeze_word(word))


def _fix_word(match: re.Match[str]) -> str:
    return _fix_word_text(match.group(0))


@functools.lru_cache(maxsize=1)
def _abbreviation_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    table = language_data().abbreviations
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])")
    return pattern, table


def expand_abbreviations(text: str) -> str:
    pattern, table = _abbreviation_pattern()
    return pattern.sub(lambda m: table[m.group(1)], text)


@functools.lru_cache(maxsize=1)
def _size_pattern() -> re.Pattern[str] | None:
    units = language_data().size_units
    if not units:
        return None
    return re.compile(r"(\d+(?:[.,]\d+)?) *(" + "|".join(re.escape(u) for u in units) + r")(?!\w)")


def read_sizes(text: str) -> str:
    """"cá giống 2 phân" -> "2 cm": after a number the word is a size, not a body part."""
    pattern = _size_pattern()
    if pattern is None:
        return text
    units = language_data().size_units
    return pattern.sub(lambda m: f"{m.group(1)} {units[m.group(2)]}", text)


@functools.lru_cache(maxsize=1)
def _dropped_pattern() -> re.Pattern[str] | None:
    phrases = language_data().dropped_phrases
    if not phrases:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")(?![\w-])")


def drop_phrases(text: str) -> str:
    """Leave out the words that tell when, not what ("bắt đầu"). After sizes are read, so the words
    around them do not meet: "ao 2 bắt đầu phân trắng" is not "2 phân" (2 cm)."""
    pattern = _dropped_pattern()
    return text if pattern is None else pattern.sub("", text)


@functools.lru_cache(maxsize=1)
def _bot_name_pattern() -> re.Pattern[str] | None:
    names = language_data().bot_names
    if not names:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(names)) + r")(?![\w-])")


_LAST_WORD = re.compile(r"(\w+) +$")
_NEXT_WORD = re.compile(r" +(\w+)")


def read_bot_name(text: str) -> str:
    """"bot ơi" -> "bạn ơi", but "co bot khi" (bubbles typed without marks) stays."""
    pattern = _bot_name_pattern()
    if pattern is None:
        return text
    data = language_data()

    def replace(match: re.Match[str]) -> str:
        before = _LAST_WORD.search(text, 0, match.start())
        after = _NEXT_WORD.match(text, match.end())
        if (before and before.group(1) in data.bubble_before) or (after and after.group(1) in data.bubble_after):
            return match.group(0)
        return data.bot_read_as

    return pattern.sub(replace, text)


# A Telex key where no Vietnamese spelling has one: a tone letter closing a word, or dd/aw/ow/uw.
_TELEX_HINT = re.compile(r"[aeiouy][a-z]*[sfrxj]\b|dd|[aou]w")
# One such word alone is more likely a name ("cám De Heus") than Telex typing.
TELEX_MIN_WORDS = 2


def read_telex_words(text: str) -> str:
    """ "cas booj awn" -> "cá bộ ăn", when at least two words of the message read as Telex."""
    if not _TELEX_HINT.search(text):
        return text
    readings = {}
    for word in set(_WORD.findall(text)):
        reading = read_telex(word) or read_telex(_squeeze_word(word))
        if reading:
            readings[word] = reading
    if len(readings) < TELEX_MIN_WORDS:
        return text
    return _WORD.sub(lambda m: readings.get(m.group(0), m.group(0)), text)


def normalize_text(text: object) -> str:
    """Return the canonical form of a farmer's message (NFC, lower case, diacritics kept).

    Never raises: non-text input becomes an empty string or its text form.
    """
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="ignore")
    text = str(text)[:MAX_CHARS]
    text = unicodedata.normalize("NFC", text)
    text = _strip_invisible_and_symbols(text)
    text = unicodedata.normalize("NFC", text)
    if "DO" in text and any(c.islower() for c in text):
        text = _OXYGEN.sub("oxy", text)
    text = text.lower()
    text = read_telex_words(text)
    text = _WORD.sub(_fix_word, text)
    text = _MIXED_PUNCT.sub(lambda m: "?" if "?" in m.group(0) else "!", text)
    text = _REPEATED_PUNCT.sub(r"\1", text)
    text = _GLUED_NUMBER.sub(r"\1 \2", text)
    text = expand_abbreviations(text)
    text = read_sizes(text)
    text = drop_phrases(text)
    text = read_bot_name(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
