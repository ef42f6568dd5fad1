"""Text as phrases are matched: case, accents, invisible characters, look-alike digits and
repeated letters folded, the same for what a child types and for the rules written.
The text is only read here: it is never logged, stored or returned."""

from __future__ import annotations

import re
import unicodedata

# Characters that change nothing a child means, deleted before anything else: invisible
# joiners and marks (often inserted to dodge filters), and apostrophes, so that "don't",
# "don’t" and "dont" are one word. (A rule written with an apostrophe also matches the
# word split in two, "don t", "j ai": see bot.content.keywords.)
_APOSTROPHES = "'\u2018\u2019\u201b\u02bc`\u00b4\u2032"
_DELETED = re.compile(
    "[\u200b-\u200f\u2060\ufeff\u00ad\u061c\u180e\u202a-\u202e\u2066-\u2069"
    f"\ufe00-\ufe0f\U000e0100-\U000e01ef{_APOSTROPHES}]+"
)
SPLIT_AT_APOSTROPHES = str.maketrans(dict.fromkeys(_APOSTROPHES, " "))
# Accents on Latin letters, once NFKD has split them off ("é" -> "e" + U+0301). Marks in
# other scripts carry meaning (Devanagari vowel signs) and are kept.
_LATIN_ACCENTS = re.compile(
    "(?<=[a-z\u00df-\u024f\u1e00-\u1eff])"
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
# Arabic: vowel marks (tashkeel) and the stretching tatweel go; the spellings children
# mix freely are folded (hamza forms of alef, teh marbuta, alef maqsura).
_ARABIC = {
    **dict.fromkeys([*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), 0x0640]),
    **dict.fromkeys(map(ord, "أإآٱ"), "ا"),
    ord("ة"): "ه",
    # Persian and Arabic keyboards write yeh and kaf differently: one letter each here
    **dict.fromkeys(map(ord, "ىيی"), "ی"),
    ord("ك"): "ک",
}
# Cyrillic: ё is mostly typed as е
_CYRILLIC = {ord("ё"): "е"}
# Devanagari: the nukta dot and the candrabindu are often left out or swapped when typing
# ("ज़" / "ज", "हूँ" / "हूं").
_DEVANAGARI = {0x093C: None, 0x0901: "\u0902"}
# Digits and signs that stand for letters inside a word ("n00dz", "h3lp", "k1ll").
_LOOK_ALIKE = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "$": "s"})
# A number with its unit or ordinal is a number, not leetspeak: "3rd", "10pm", "12yo".
_NUMBER_WITH_UNIT = re.compile(
    r"\d+(?:st|nd|rd|th|am|pm|yo|y|yr|yrs|k|kg|km|kms|cm|mm|m|h|hr|hrs|min|mins|s|x|gb|mb"
    r"|p|e|er|eme|o|a)"
)
# A letter typed twice or more becomes one, in the text and in the phrases alike:
# "heeelp", "helpp" and "help" are all "help". Folding only runs of three would turn
# "killl" into "kil" but leave "kill" as it is, and miss it.
_REPEATS = re.compile(r"([^\W\d_])\1+")
_ASCII_REPEATS = re.compile(r"([a-z])\1+")  # the same for plain ASCII, several times faster
_DIGITS_OR_SIGNS = re.compile(r"[\d@$]")
# Emoji that stand for a method are words, so a rule can name them ("💊 💊", "💊 + tonight"):
# in Crisis Text Line's messages the pill emoji signalled more risk than the word "suicide"
# (stateofmentalhealth.org/lethal-words). Every other emoji is a word break.
WORD_EMOJI = "\U0001f48a\U0001f52a\U0001fa78\U0001faa2\u26b0\U0001faa6"  # 💊 🔪 🩸 🪢 ⚰ 🪦


class _Characters(dict[int, str | None]):
    """What each character becomes in a token, worked out once per character."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        kept: str | None
        if code in _ARABIC:
            kept = _ARABIC[code]
        elif code in _CYRILLIC:
            kept = _CYRILLIC[code]
        elif code in _DEVANAGARI:
            kept = _DEVANAGARI[code]
        elif char in WORD_EMOJI:
            kept = f" {char} "
        elif char in "@$" or unicodedata.category(char)[0] in "LMN":
            kept = char  # letters, their marks (vowel signs are marks) and digits
        else:
            kept = " "  # punctuation, symbols, emoji, spaces: word breaks
        self[code] = kept
        return kept


_CHARACTERS = _Characters()
_ASCII_CHARACTERS = {code: _CHARACTERS[code] for code in range(128)}


def normalise(text: str) -> str:
    """Case, accents, invisible characters, look-alike digits and repeated letters folded;
    words separated by single spaces."""
    text = unicodedata.normalize("NFKC", _DELETED.sub("", text)).casefold()
    if text.isascii():
        text = text.translate(_ASCII_CHARACTERS)
    else:
        text = _LATIN_ACCENTS.sub("", unicodedata.normalize("NFKD", text))
        text = unicodedata.normalize("NFC", text).translate(_CHARACTERS)
    if _DIGITS_OR_SIGNS.search(text):
        text = " ".join(filter(None, map(_look_alike, text.split())))
    # a run of one letter never spans two words, so the whole text is folded at once
    repeats = _ASCII_REPEATS if text.isascii() else _REPEATS
    return " ".join(repeats.sub(r"\1", text).split())


def _look_alike(word: str) -> str:
    if not any(ch.isalpha() for ch in word):
        return word.replace("@", "").replace("$", "")  # a number stays as it was typed
    if _NUMBER_WITH_UNIT.fullmatch(word):
        return word
    return word.translate(_LOOK_ALIKE)
