"""Steps of the Vietnamese TTS text normalizer, one module per family of rewrites.

Callers use the facade :mod:`controller.tts.normalize` (``normalize``, ``spell``); the order
of the steps lives in :mod:`controller.tts.normalizer.pipeline`. Module map and conventions:
docs/tts-normalization.md.
"""
