"""Messaging channels: thin subclasses of Rasa's own Telegram and Twilio (WhatsApp/SMS)
channels, configured in credentials.yml. See README, "Telegram" and "WhatsApp"."""
