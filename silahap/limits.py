"""Every bound on what a request may carry, in one place (issue 23, "every input is bounded").

Settings, forms, views and the search functions import these names; none of them writes a
number of its own. A value over its bound is refused before any work is done on it: with 400
for a query string or an id a page never sends, with a message beside the field for a form.

Not here: the length of a value stored in a model column (its `max_length`, which Django's
model forms carry over), and the sizes of uploaded files (SILAHAP_*_MAX_BYTES in settings).
"""

from __future__ import annotations

# --- Requests as a whole (settings.py and silahap.inputs.BoundedRequestMiddleware)
# The path and query string together, in characters as received: browsers and proxies
# commonly stop at 8 KB, and no page of ours builds an address near it.
URL_LENGTH = 8192
# A request body other than uploaded files (form fields, JSON): DATA_UPLOAD_MAX_MEMORY_SIZE.
REQUEST_BODY_BYTES = 1024 * 1024
# Form fields in one request (DATA_UPLOAD_MAX_NUMBER_FIELDS): the longest form has ~40.
FORM_FIELDS = 500

# --- Search terms
# Search-as-you-type: the check form's person lookup and the activity form's place picker.
LOOKUP_TERM = 100
# Search pages: persons, sponsors, places, and the person search's sponsor and place filters.
SEARCH_TERM = 200
# Persons a lookup may ask for (its `limit` parameter).
LOOKUP_RESULTS = 20
# The duplicates lists' cursor (the last pair's names and ids, as the page sends it back).
DUPLICATES_CURSOR = 250
# The audit search's free-text and record-id fields (the JSON of an event is searched).
AUDIT_TEXT = 100
# The words of a term that the person search matches and ranks; further words are dropped.
# A name of more words than this is still found by its first (longest) ones.
SEARCH_WORDS = 8
# The longest word the person search also asks for one typing slip away: each letter of a word
# adds ~54 one-slip spellings to the index query. A longer word is matched as typed (or by its
# beginning), and a slip in it is found by the trigram search.
SLIP_WORD_LENGTH = 16
# "All typed words but one" (a word missing or badly misspelt) is asked only up to this many
# words: the ask repeats each word once per other word.
ALL_BUT_ONE_WORDS = 4
# Letters of a word compared by edit distance when ranking (the comparison costs the product
# of the two lengths).
RANKED_WORD_LENGTH = 32

# --- Text typed into forms
# Names of people, places and sponsors: the model columns hold 200 characters.
NAME = 200
# Free text stored in a column without a length of its own (addresses, observations, notes,
# instructions, descriptions).
TEXT = 4000
# A pasted passport or ID-card MRZ, with the line breaks and spaces a paste brings.
MRZ = 300
# A password typed at login (the username is bounded by its column).
PASSWORD = 1024

# --- Numbers
# Ids, as PostgreSQL's bigint holds them; a page never sends a larger one.
ID_MAX = 2**63 - 1
# Any other whole number in a query string or form (counts, metres, days).
COUNT_MAX = 2**31 - 1
LATITUDE = (-90, 90)
LONGITUDE = (-180, 180)
