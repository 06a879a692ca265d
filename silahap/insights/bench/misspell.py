"""Misspell a name the way an officer typing on a phone does."""

from __future__ import annotations

import random

# The one-letter slips the registry lookup must survive (issue #21): a letter dropped, two
# neighbours swapped, a letter doubled, one vowel for another, y for i or i for y.
EDITS = ("drop", "swap", "double", "vowel", "yi")
VOWELS = "aeiou"


def _edit_word(rng: random.Random, word: str, edit: str) -> str:
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    if len(letters) < 2:
        return word
    if edit == "drop":
        i = rng.choice(letters)
        return word[:i] + word[i + 1 :]
    if edit == "swap":
        i = rng.randrange(len(word) - 1)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if edit == "vowel":
        vowels = [i for i in letters if word[i].lower() in VOWELS]
        if vowels:
            i = rng.choice(vowels)
            other = rng.choice([v for v in VOWELS if v != word[i].lower()])
            return word[:i] + (other.upper() if word[i].isupper() else other) + word[i + 1 :]
        edit = "double"
    if edit == "yi":
        either = [i for i in letters if word[i].lower() in "yi"]
        if either:
            i = rng.choice(either)
            other = {"y": "i", "i": "y", "Y": "I", "I": "Y"}[word[i]]
            return word[:i] + other + word[i + 1 :]
    i = rng.choice(letters)
    return word[:i] + word[i] + word[i:]


def _recase(rng: random.Random, text: str) -> str:
    style = rng.randrange(4)
    if style == 0:
        return text.upper()
    if style == 1:
        return text.lower()
    if style == 2:
        return text.title()
    return "".join(ch.upper() if rng.random() < 0.5 else ch.lower() for ch in text)


def misspell(rng: random.Random, name: str, edits: int = 1) -> tuple[str, list[str]]:
    """The name with `edits` letter edits (dropped, swapped or doubled) in different words,
    its case changed and its words shuffled; and the edits made, for the report."""
    words = name.split()
    # A dropped letter in a 2-letter word ("Li" → "L") leaves nothing to find it by.
    candidates = [i for i, word in enumerate(words) if len(word) >= 4] or [
        max(range(len(words)), key=lambda i: len(words[i]))
    ]
    made = []
    for index in rng.sample(candidates, min(edits, len(candidates))):
        edit = rng.choice(EDITS)
        words[index] = _edit_word(rng, words[index], edit)
        made.append(edit)
    if rng.random() < 0.5:
        rng.shuffle(words)
    separator = "  " if rng.random() < 0.2 else " "
    return _recase(rng, separator.join(words)), made
