"""What the source dialog hands to the review: the document read, its suggestions and the source's grades."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from caseboard.ingest.model import Suggestions
from caseboard.ingest.readers import Document


@dataclass
class ImportRequest:
    """Everything the review needs: the document, its suggestions and what the user said about the source."""

    document: Document
    suggestions: Suggestions
    source_fields: dict[str, Any] = field(default_factory=dict)
    reliability: str = "F"
    credibility: int = 6
    allow_duplicate: bool = False
