"""The web layer: the command-line interface now; the Flask app and JSON API build on it."""
