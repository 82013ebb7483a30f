"""Audio library: ingest, loudness normalization and content-addressed storage of media."""
