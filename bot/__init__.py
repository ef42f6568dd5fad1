"""safebot: lessons that help children recognise online grooming and sextortion."""

__version__ = "0.1.0"
