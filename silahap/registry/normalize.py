"""Name normalisation shared by storage, search and duplicate detection."""

import re
import unicodedata

NON_LETTERS = re.compile(r"[^a-z0-9]+")


def normalize_name(name: str) -> str:
    """Lower case, no accents or punctuation, words sorted so that word order stops mattering."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    words = [word for word in NON_LETTERS.split(ascii_only) if word]
    return " ".join(sorted(words))
