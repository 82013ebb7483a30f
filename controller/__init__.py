"""Commune loudspeaker controller: Flask web UI + JSON API, scheduler and MQTT dispatcher.

The app factory lives in ``controller.app``; this package import stays light so that pure
modules (TTS normalization, plan compilation) can be imported without Flask side effects.
"""

__version__ = "0.1.0"
