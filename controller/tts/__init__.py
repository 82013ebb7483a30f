"""Vietnamese text-to-speech: text normalization, engines, composition and caching."""
