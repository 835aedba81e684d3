# Copied by workers-ai-codegen from generator/runtime/_id_set.py: edit it there.
"""The set of row ids `--resume` skips, small enough for millions of rows.

A Python `set` of a million id strings takes about 100 MiB (each string is an object of its own), which
would make a resumed run's memory grow with the output. Ids are compared as text (`"7"` and `7` are the
same row). The usual ids, row numbers and other non-negative integers written without leading zeros,
become bits in a bytearray (a million ids: 125 KiB); any other id is kept as text in a set.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

__all__ = ["IdSet"]

# Numeric ids up to this bound are bits (a bitmap of at most 8 MiB); larger ones are kept as text.
MAX_BIT_ID = 1 << 26


def _bit(text: str) -> int | None:
    """The id as a bit position, or None when it is kept as text."""
    if not (text.isascii() and text.isdecimal()) or len(text) > 8 or (text[0] == "0" and text != "0"):
        return None
    value = int(text)
    return value if value < MAX_BIT_ID else None


class IdSet:
    __slots__ = ("_bits", "_count", "_texts")

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self._bits = bytearray()
        self._texts: set[str] = set()
        self._count = 0
        for text in ids:
            self.add(text)

    def add(self, text: str) -> None:
        bit = _bit(text)
        if bit is None:
            if text not in self._texts:
                self._texts.add(text)
                self._count += 1
            return
        byte, mask = bit >> 3, 1 << (bit & 7)
        if byte >= len(self._bits):
            self._bits.extend(bytes(max(byte + 1 - len(self._bits), len(self._bits))))
        if not self._bits[byte] & mask:
            self._bits[byte] |= mask
            self._count += 1

    def discard(self, text: str) -> None:
        bit = _bit(text)
        if bit is None:
            if text in self._texts:
                self._texts.discard(text)
                self._count -= 1
            return
        byte, mask = bit >> 3, 1 << (bit & 7)
        if byte < len(self._bits) and self._bits[byte] & mask:
            self._bits[byte] &= ~mask & 0xFF
            self._count -= 1

    def __contains__(self, text: object) -> bool:
        if not isinstance(text, str):
            return False
        bit = _bit(text)
        if bit is None:
            return text in self._texts
        byte = bit >> 3
        return byte < len(self._bits) and bool(self._bits[byte] & (1 << (bit & 7)))

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        for byte, value in enumerate(self._bits):
            if value:
                for offset in range(8):
                    if value & (1 << offset):
                        yield str(byte * 8 + offset)
        yield from self._texts

    def __or__(self, other: IdSet) -> IdSet:
        union = IdSet()
        size = max(len(self._bits), len(other._bits))
        bits = int.from_bytes(self._bits, "little") | int.from_bytes(other._bits, "little")
        union._bits = bytearray(bits.to_bytes(size, "little"))
        union._texts = self._texts | other._texts
        union._count = bits.bit_count() + len(union._texts)
        return union

    def __repr__(self) -> str:
        return f"IdSet({len(self)} ids)"
