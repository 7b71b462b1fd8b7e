"""JobDeck's local server: a Litestar app on localhost that serves the PWA."""

__version__ = "0.1.0"
