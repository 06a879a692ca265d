"""Role × URL rows, one module per part of the domain (the app whose URLs they cover)."""
