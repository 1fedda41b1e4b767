"""Read a report and suggest facts for review: actors, places, dates, shipments and quotes, each with its spans.

Offline and rule-based, no Qt. Entry points: ``suggest.suggest`` / ``suggest.to_json`` for text,
``readers.read_document`` for files, ``cli.main`` for ``caseboard ingest``.
"""
