"""Name normalisation shared by storage, search and duplicate detection."""

import re
import unicodedata

NON_LETTERS = re.compile(r"[^a-z0-9]+")
# MRZs drop apostrophes ("O'BRIEN" is OBRIEN), so a typed apostrophe must not split the word.
APOSTROPHES = re.compile(r"['’ʼ`´]")
# Letters Unicode does not decompose into a base letter and an accent; without this table
# "Đặng Văn Đức" would lose its Đ and become "ang uc van".
LETTERS_WITHOUT_DECOMPOSITION = str.maketrans(
    {
        "đ": "d",
        "ð": "d",
        "ø": "o",
        "ł": "l",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŋ": "ng",
    }
)


def normalize_name(name: str) -> str:
    """Lower case, no accents or punctuation, words sorted so that word order stops mattering."""
    decomposed = unicodedata.normalize(
        "NFKD", name.lower().translate(LETTERS_WITHOUT_DECOMPOSITION)
    )
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = [word for word in NON_LETTERS.split(APOSTROPHES.sub("", ascii_only)) if word]
    return " ".join(sorted(words))
