"""CSV and XLSX imports into the national registry: reading files, the column layouts, checking
rows, and applying them in chunks."""
