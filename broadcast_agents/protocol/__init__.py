"""MQTT contract v1 shared by controller and agents: topics, canonical JSON, signed envelopes."""
