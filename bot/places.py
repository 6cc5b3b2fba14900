"""Where signs show on the fish: in which clause a located sign may be read, and which body part a
short clause goes on about.

A sign with `body_parts` in the intents (eyes, gills, vent, skin...) is read only where the message
speaks of one of its places; the places come from the intents, the words about fish and water from
`bot/data/language.yaml`.
"""

from __future__ import annotations

from itertools import accumulate

from bot.intents import IntentSet
from bot.language import language_data
from bot.normalize import fold_accents, normalize_text

# A clause this short, naming no body part, may go on about the part named before it.
ELLIPTIC_MAX_WORDS = 6


class BodyPlaces:
    def __init__(self, intents: IntentSet, examples: list[tuple[str, str]]):
        """``examples``: (sign id, normalized text) of the signs' own examples ("absent" ones left out)."""
        # Where each located sign shows, and every word that names such a place.
        self.located = {
            sym.id: frozenset(w for part in sym.body_parts for w in normalize_text(part).split())
            for sym in intents.symptoms
            if sym.body_parts
        }
        self.place_words = frozenset().union(*self.located.values())
        self.folded: dict[str, set[str]] = {}  # accent-free spelling -> places it may be
        for word in self.place_words:
            self.folded.setdefault(fold_accents(word), set()).add(word)
        # Signs an example tells in a clause about the water alone ("nước ao có nhớt cá"): such a
        # clause may still show them, while it rules out the other located signs.
        water = language_data().water_words
        self.seen_in_water = {
            label for label, text in examples
            if label in self.located and not water.isdisjoint(text.split()) and not self._names_place(text.split())
        }

    def _names_place(self, words: list[str]) -> bool:
        return any(w in self.place_words or w in self.folded for w in words)

    def fits(self, clauses: list[list[str]], clause: int, label: str) -> bool:
        """False when a located sign is read in a clause that speaks of other body parts only.

        A clause naming no place borrows the places of the nearest earlier clause that names one:
        in "mở mang ra thấy mang nhợt, trắng bệch" the pale is the gills', not the skin's. An
        accent-free word that may be a place ("mat": mắt or mất) never rules a sign out, but it
        does stop the borrowing.
        """
        where = self.located.get(label)
        if where is None:
            return True
        for at in range(clause, -1, -1):
            words = clauses[at]
            named = self.place_words.intersection(words)
            maybe = {w for w in words if w not in named and w in self.folded}
            if named:
                return not where.isdisjoint(named) or any(self.folded[w] & where for w in maybe)
            # "nước ao chuyển màu đỏ nâu": the water's colour, not the gills'; in a clause about the
            # water, an accent-free "mau" is its colour, not blood.
            if at == clause and label not in self.seen_in_water and self._about_water(words):
                return False
            if maybe:
                return True
        return True

    @staticmethod
    def _about_water(words: list[str]) -> bool:
        """The clause speaks of the water; a pond in a clause naming the fish only says whose fish:
        "cá chép ao nhà cháu đen sạm". A clause opening on the fish's pond speaks of that pond: "ao cá
        tra nhà tui đục ngầu" is muddy water."""
        data = language_data()
        water = data.water_words.intersection(words)
        if water and water <= data.pond_words and not data.fish_words.isdisjoint(words):
            pond = next(i for i, w in enumerate(words) if w in water)
            return not any(w in data.fish_words for i, w in enumerate(words) if i < pond or i > pond + 1)
        return bool(water)

    def carried(self, clauses: list[list[str]]) -> dict[int, list[int]]:
        """Clause -> message positions of the body part words it goes on about.

        A short clause that names no body part, no fish and no water goes on about the part named
        before it: in "mắt không lồi, không đục" the second clause is "mắt không đục".
        """
        data = language_data()
        carried: dict[int, list[int]] = {}
        offsets = list(accumulate((len(c) for c in clauses), initial=0))
        for ci in range(1, len(clauses)):
            tokens = clauses[ci]
            if len(tokens) > ELLIPTIC_MAX_WORDS or not all(
                    names.isdisjoint(tokens) for names in (data.body_parts, data.fish_words, data.water_words)):
                continue
            for earlier in range(ci - 1, -1, -1):
                # An accent-free word that may be a place counts here ("mat ca hong co duc, hong co loi").
                places = [offsets[earlier] + i for i, w in enumerate(clauses[earlier])
                          if w in data.body_parts or w in self.folded]
                if places:
                    carried[ci] = places[:3]
                    break
                if not data.fish_words.isdisjoint(clauses[earlier]):
                    break
        return carried
