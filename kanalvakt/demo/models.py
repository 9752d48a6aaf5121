"""The demo app's models: only the local stand-in platform's state."""

from kanalvakt.demo.standin.models import StandinEvent, StandinObject

__all__ = ["StandinEvent", "StandinObject"]
