"""Turns queued deliveries into Bot API calls, within Telegram's limits."""
