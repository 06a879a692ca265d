"""The registry's pages and the endpoints the field screens call, one module per record (persons,
places, sponsors, warnings, duplicates, imports) and lookups for the field forms."""
