# Copied by workers-ai-codegen from generator/runtime/_image_result.py: edit it there.
"""`Base64ImageResult`: text-to-image results that come as JSON with a base64 `image` get the same bytes
API as the models that answer with the image itself (`ImageOutput`): `.image_bytes()`, `.save(path)`."""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from ._binary import ImageOutput
from .errors import WorkersAIError

__all__ = ["Base64ImageResult"]

# Magic numbers of the formats text-to-image models answer with; anything else is labelled generically.
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF8", "image/gif"))


def _media_type(data: bytes) -> str:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((media for magic, media in _SIGNATURES if data.startswith(magic)), "application/octet-stream")


class Base64ImageResult:
    """Mixin of the pydantic result classes whose `image` field holds the image as base64 text."""

    __slots__ = ()

    def image_bytes(self) -> bytes:
        """The decoded image (a `data:` URL prefix, if any, is dropped)."""
        text = getattr(self, "image", None)
        if not isinstance(text, str) or not text:
            raise WorkersAIError("The result carries no image.")
        try:
            return base64.b64decode(text.rpartition(",")[2], validate=True)
        except (binascii.Error, ValueError):
            raise WorkersAIError("The result's image is not valid base64.") from None

    def image_output(self) -> ImageOutput:
        """The image as an `ImageOutput` (`.data`, `.content_type` from the image's own signature)."""
        data = self.image_bytes()
        return ImageOutput(data, _media_type(data))

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the decoded image to `path` atomically, as `ImageOutput.save` does."""
        return self.image_output().save(path)
