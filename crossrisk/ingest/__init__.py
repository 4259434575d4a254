"""Observations in from monitoring networks: MQTT subscription (HTTP batches are in api/)."""
