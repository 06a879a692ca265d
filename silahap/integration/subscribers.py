"""Webhook deliveries are queued from the event spine (filled in by the webhooks step)."""
