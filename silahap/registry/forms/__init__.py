"""Forms of the registry, one module per record: persons (with documents and permits), places,
sponsors; areas holds the fields they share."""
