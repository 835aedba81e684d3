"""Binary outputs (images, audio) and binary inputs (raw body, uint8 arrays, base64 fields)."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.runtime.runtime_pkg import IMG2IMG, MELOTTS, RESNET, UNTYPED, Harness
from tests.support.fault_server import FaultServer, Reply

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
MP3 = b"ID3\x03\x00" + bytes(200)
CLASSES = [{"label": "tabby cat", "score": 0.8}]


def test_image_output(harness: Harness, server: FaultServer, tmp_path: Path) -> None:
    server.enqueue(Reply.binary(PNG, "image/png"))
    out = harness.run(IMG2IMG, {"prompt": "a cat"})
    assert type(out).__name__ == "ImageOutput" and isinstance(out, harness.wai.binary.BinaryOutput)
    assert out.data == PNG and out.content_type == "image/png" and len(out) == len(PNG) and bytes(out) == PNG
    assert repr(out) == f"ImageOutput(content_type='image/png', size={len(PNG)})"
    target = out.save(tmp_path / "cat.png")
    assert target.read_bytes() == PNG
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cat.png"]  # no temporary file left behind


def test_save_replaces_atomically(
    wai: SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.png"
    target.write_bytes(b"old")
    out = wai.binary.ImageOutput(PNG, "image/png")

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(wai.binary.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        out.save(target)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["out.png"]


def test_image_content_type_parameters_are_ignored(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.binary(PNG, "image/png; charset=binary"))
    assert harness.run(IMG2IMG, {"prompt": "a cat"}).content_type == "image/png"


def test_lenient_accepts_another_image_format_but_strict_does_not(
    harness: Harness, server: FaultServer
) -> None:
    server.enqueue(Reply.binary(b"\xff\xd8jpeg", "image/jpeg"))
    assert harness.run(IMG2IMG, {"prompt": "a cat"}).content_type == "image/jpeg"
    server.enqueue(Reply.binary(b"\xff\xd8jpeg", "image/jpeg"))
    with pytest.raises(harness.wai.errors.MalformedResponseError, match="image/jpeg"):
        harness.run(IMG2IMG, {"prompt": "a cat"}, strict=True)


def test_audio_or_json_output(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.binary(MP3, "audio/mpeg"), Reply.envelope({"audio": base64.b64encode(MP3).decode()}))
    audio = harness.run(MELOTTS, {"prompt": "hello"})
    assert type(audio).__name__ == "AudioOutput" and audio.data == MP3
    speech = harness.run(MELOTTS, {"prompt": "hello"})
    assert base64.b64decode(speech.audio) == MP3


def test_unknown_model_binary_output(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.binary(PNG, "image/png"), Reply.binary(b"x", "application/octet-stream"))
    assert type(harness.run(UNTYPED, {"prompt": "x"})).__name__ == "ImageOutput"
    assert type(harness.run(UNTYPED, {"prompt": "x"})).__name__ == "BinaryOutput"


@pytest.mark.parametrize("kind", ["bytes", "bytearray", "memoryview", "path", "file"])
def test_raw_body_input(harness: Harness, server: FaultServer, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "cat.png"
    path.write_bytes(PNG)
    value = {
        "bytes": PNG,
        "bytearray": bytearray(PNG),
        "memoryview": memoryview(PNG),
        "path": path,
        "file": io.BytesIO(PNG),
    }[kind]
    server.enqueue(Reply.envelope(CLASSES))
    assert harness.run(RESNET, value)[0].label == "tabby cat"
    request = server.requests[0]
    assert request.body == PNG and request.headers["content-type"] == "application/octet-stream"


def test_raw_body_from_open_file_is_resent_whole_on_retry(
    harness: Harness, server: FaultServer, tmp_path: Path, sleeps: list[float]
) -> None:
    path = tmp_path / "cat.png"
    path.write_bytes(PNG)
    server.enqueue(Reply.failure(503, None, "busy"), Reply(reset=True), Reply.envelope(CLASSES))
    with path.open("rb") as handle:
        harness.run(RESNET, handle)
    assert [r.body for r in server.requests] == [PNG, PNG, PNG]


def test_unknown_model_raw_body(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.envelope({"ok": True}))
    assert harness.run("@cf/new/audio-model", MP3) == {"ok": True}
    assert server.requests[0].body == MP3


@pytest.mark.parametrize("kind", ["bytes", "path", "file"])
def test_uint8_and_base64_fields(harness: Harness, server: FaultServer, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "in.png"
    path.write_bytes(PNG[:16])

    def value() -> object:
        return {"bytes": PNG[:16], "path": path, "file": io.BytesIO(PNG[:16])}[kind]

    server.enqueue(Reply.binary(PNG, "image/png"))
    harness.run(IMG2IMG, {"prompt": "p", "image": value(), "mask": value(), "image_b64": value()})
    sent = server.requests[0].json()
    assert sent["image"] == list(PNG[:16]) and sent["mask"] == list(PNG[:16])
    assert base64.b64decode(sent["image_b64"]) == PNG[:16]


def test_already_encoded_fields_pass_through(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.binary(PNG, "image/png"))
    payload = {"prompt": "p", "image": [1, 2, 3], "image_b64": "aGk="}
    harness.run(IMG2IMG, payload)
    assert server.requests[0].json() == payload


def test_caller_mapping_is_not_mutated_by_encoding(harness: Harness, server: FaultServer) -> None:
    server.enqueue(Reply.binary(PNG, "image/png"))
    payload = {"prompt": "p", "image": b"\x01"}
    harness.run(IMG2IMG, payload)
    assert payload == {"prompt": "p", "image": b"\x01"}


def test_raw_bytes_to_a_model_that_takes_none(harness: Harness, server: FaultServer) -> None:
    with pytest.raises(
        harness.wai.errors.InputValidationError, match=r"does not take raw binary input.*'image'"
    ):
        harness.run(IMG2IMG, PNG)
    assert server.count == 0


def test_bytes_in_a_field_that_is_not_binary(harness: Harness, server: FaultServer) -> None:
    with pytest.raises(harness.wai.errors.InputValidationError) as info:
        harness.run(IMG2IMG, {"prompt": b"bytes are not text"})
    assert info.value.errors[0].pointer == "/prompt"
    assert server.count == 0


def test_plain_string_is_never_a_path(harness: Harness, server: FaultServer, tmp_path: Path) -> None:
    path = tmp_path / "in.png"
    path.write_bytes(PNG)
    with pytest.raises(harness.wai.errors.InputValidationError, match="a str is text"):
        harness.run(RESNET, str(path))
    assert server.count == 0


def test_unreadable_inputs(harness: Harness, server: FaultServer, tmp_path: Path) -> None:
    errors = harness.wai.errors
    with pytest.raises(errors.InputValidationError, match="cannot read binary data") as info:
        harness.run(RESNET, tmp_path / "missing.png")
    assert info.value.errors[0].pointer == ""
    with pytest.raises(errors.InputValidationError, match="text mode") as info:
        harness.run(IMG2IMG, {"prompt": "p", "image": io.StringIO("text")})
    assert info.value.errors[0].pointer == "/image"
    assert server.count == 0


@pytest.mark.parametrize("kind", ["list", "bytes", "path", "file"])
def test_json_form_of_a_file_is_sent_as_raw_body(
    harness: Harness, server: FaultServer, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "cat.png"
    path.write_bytes(PNG)
    value = {"list": list(PNG), "bytes": PNG, "path": path, "file": io.BytesIO(PNG)}[kind]
    server.enqueue(Reply.envelope(CLASSES))
    assert harness.run(RESNET, {"image": value})[0].label == "tabby cat"
    request = server.requests[0]
    assert request.body == PNG and request.headers["content-type"] == "application/octet-stream"


@pytest.mark.parametrize(
    ("items", "pointer"), [([1, 256], "/image/1"), ([-1], "/image/0"), ([1.5], "/image/0")]
)
def test_json_form_with_values_that_are_not_bytes(
    harness: Harness, server: FaultServer, items: list[object], pointer: str
) -> None:
    with pytest.raises(harness.wai.errors.InputValidationError, match="is not a byte") as info:
        harness.run(RESNET, {"image": items})
    assert info.value.errors[0].pointer == pointer and server.count == 0
