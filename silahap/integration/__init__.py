"""The REST API for the Directorate General's systems, the event feed, webhooks, permit lookup."""
