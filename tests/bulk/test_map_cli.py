"""`workers-ai map` end to end: a real subprocess against a real local server, files on disk."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.model_server import PNG, ModelServer
from workers_ai._bulk_files import resume_state

MODEL = "@cf/huggingface/distilbert-sst-2-int8"
ROOT = Path(__file__).resolve().parents[2]


def cli_env(server: ModelServer) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDFLARE_")}
    env.update(
        CLOUDFLARE_ACCOUNT_ID="acc",
        CLOUDFLARE_API_TOKEN="secret-token-value",
        CLOUDFLARE_BASE_URL=server.base_url,
        PYTHONPATH=os.pathsep.join([str(ROOT / "generated"), str(ROOT)]),
    )
    return env


def start(server: ModelServer, *args: str | Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "workers_ai", "map", MODEL, *map(str, args)]
    return subprocess.Popen(
        command, env=cli_env(server), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def run_cli(server: ModelServer, *args: str | Path) -> tuple[int, str]:
    process = start(server, *args)
    _, stderr = process.communicate(timeout=120)
    return process.returncode, stderr


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_rows_become_one_record_each_with_typed_errors_and_pointers(tmp_path: Path) -> None:
    rows = [{"id": f"r{i}", "text": f"review {i} good"} for i in range(50)]
    rows[5] = {"id": "r5", "text": ""}
    rows[9] = {"id": "r9", "text": "malformed"}
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    with source.open("a") as handle:
        handle.write("not json\n")
    with ModelServer() as server:
        code, stderr = run_cli(server, "--input", source, "--output", tmp_path / "out.jsonl")
    records = read_jsonl(tmp_path / "out.jsonl")
    assert code == 1, stderr
    assert [r["id"] for r in records] == [f"r{i}" for i in range(50)] + [50]
    by_id = {r["id"]: r for r in records}
    assert by_id["r0"] == {"id": "r0", "ok": True, "result": [{"label": "POSITIVE", "score": 0.75}]}
    assert by_id["r5"]["error"]["type"] == "InputValidationError"
    assert by_id["r5"]["error"]["errors"][0]["pointer"] == "/text"
    assert by_id["r9"]["error"]["type"] == "MalformedResponseError"
    assert "not JSON" in by_id[50]["error"]["message"]
    assert "48 succeeded, 3 failed" in stderr
    assert "secret-token-value" not in stderr
    assert server.count == 49  # the empty text and the non-JSON line were never sent


def test_csv_to_parquet_with_field_mapping(tmp_path: Path) -> None:
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "reviews.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["review_id", "review_body", "stars"])
        for i in range(30):
            writer.writerow([f"rev-{i}", f"good pizza {i}" if i % 2 else f"cold pizza {i}", "5"])
    output = tmp_path / "sentiment.parquet"
    with ModelServer() as server:
        code, stderr = run_cli(
            server,
            "--input",
            source,
            "--output",
            output,
            "--field",
            "text=review_body",
            "--id-field",
            "review_id",
        )
    assert code == 0, stderr
    table = pyarrow_parquet.read_table(output).to_pylist()
    assert [row["id"] for row in table] == [f"rev-{i}" for i in range(30)]
    assert json.loads(table[1]["result"])[0]["label"] == "POSITIVE"
    assert json.loads(table[0]["result"])[0]["label"] == "NEGATIVE"
    assert not (tmp_path / "sentiment.parquet.partial.jsonl").exists()
    assert server.texts["good pizza 1"] == 1


def wait_for_bytes(output: Path, size: int, timeout: float = 60) -> None:
    """Until the command has written `size` bytes of output: the moment to interrupt it mid-run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and (not output.exists() or output.stat().st_size < size):
        time.sleep(0.02)


def test_kill_mid_run_then_resume_finishes_with_no_duplicates_and_nothing_missing(tmp_path: Path) -> None:
    rows = [{"id": i, "text": f"row {i}"} for i in range(400)]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    output = tmp_path / "out.jsonl"
    with ModelServer(capacity=(64, 0.02)) as server:
        process = start(server, "--input", source, "--output", output, "--concurrency", "4")
        wait_for_bytes(output, 3000)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        done_before = len(output.read_bytes().splitlines())
        assert 0 < done_before < 400
        with output.open("ab") as handle:  # what a kill in the middle of a write leaves
            handle.write(b'{"id": 399, "ok": tr')
        code, stderr = run_cli(server, "--input", source, "--output", output, "--resume")
    assert code == 0, stderr
    ids = [record["id"] for record in read_jsonl(output)]
    assert sorted(ids) == list(range(400)) and len(ids) == 400
    assert "rows already done were skipped" in stderr


def test_bursts_of_429_slow_rows_and_timeouts_over_the_commands_http_client(tmp_path: Path) -> None:
    """16 calls in flight against 4 slots: most are answered 429 / 3040 at once, and the window, the
    retries and Retry-After carry every row through; rows slower than --timeout fail as timeouts."""
    rows = [{"id": i, "text": f"row {i}"} for i in range(120)]
    rows[7]["text"] = "row 7 slow"
    rows[30]["text"] = "row 30 rate-limit:2"
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    output = tmp_path / "out.jsonl"
    with ModelServer(capacity=(4, 0.01)) as server:
        code, stderr = run_cli(
            server, "--input", source, "--output", output, "--concurrency", "16", "--timeout", "0.15"
        )
    assert code == 1, stderr
    records = read_jsonl(output)
    assert [r["id"] for r in records] == list(range(120))
    failed = {r["id"]: r["error"]["type"] for r in records if not r["ok"]}
    assert failed == {7: "APITimeoutError"}
    # At most the first attempt and two retries got a slot (a request answered 429 is not counted here).
    assert 1 <= server.texts["row 7 slow"] <= 3
    # No row here fails with a plain 500: the 429s of the full slots use up the same retry budget, so
    # whether its retry comes is chance (the retry-failed test below covers that path).
    assert server.texts["row 30 rate-limit:2"] >= 3
    assert "119 succeeded, 1 failed" in stderr
    assert server.count > 130  # the calls beyond the 4 slots were answered 429 and sent again
    assert server.max_in_flight <= 4
    assert "secret-token-value" not in stderr + output.read_text()


def test_ctrl_c_flushes_prints_a_summary_and_resume_completes(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": i, "text": f"row {i}"} for i in range(300)])
    output = tmp_path / "out.jsonl"
    with ModelServer(capacity=(64, 0.02)) as server:
        process = start(server, "--input", source, "--output", output, "--concurrency", "2")
        wait_for_bytes(output, 1000)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 130, stderr
        assert "Rerun with --resume" in stderr
        assert output.read_bytes().endswith(b"\n")
        code, _ = run_cli(server, "--input", source, "--output", output, "--resume")
    assert code == 0
    assert sorted(r["id"] for r in read_jsonl(output)) == list(range(300))


def test_retry_failed_reruns_only_failed_rows_and_keeps_one_record_per_row(tmp_path: Path) -> None:
    rows = [{"id": i, "text": f"row {i} fail:1" if i % 10 == 0 else f"row {i}"} for i in range(40)]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    output = tmp_path / "out.jsonl"
    with ModelServer() as server:
        code, _ = run_cli(server, "--input", source, "--output", output, "--max-retries", "0")
        assert code == 1
        assert set(resume_state(output).failed) == {"0", "10", "20", "30"}
        code, stderr = run_cli(server, "--input", source, "--output", output, "--retry-failed")
    assert code == 0, stderr
    records = read_jsonl(output)
    assert sorted(r["id"] for r in records) == list(range(40))
    assert all(r["ok"] for r in records)
    assert server.texts["row 1"] == 1 and server.texts["row 10 fail:1"] == 2


def test_binary_results_are_saved_next_to_the_output(tmp_path: Path) -> None:
    source = write_jsonl(
        tmp_path / "in.jsonl", [{"id": "cat", "prompt": "a cat"}, {"id": "../x", "prompt": "dog"}]
    )
    output = tmp_path / "images.jsonl"
    with ModelServer() as server:
        process = subprocess.run(
            [
                sys.executable,
                "-m",
                "workers_ai",
                "map",
                "@cf/stabilityai/stable-diffusion-xl-base-1.0",
                "--input",
                str(source),
                "--output",
                str(output),
            ],
            env=cli_env(server),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert process.returncode == 0, process.stderr
    records = read_jsonl(output)
    first = Path(records[0]["result"]["file"])
    assert first == tmp_path / "images_files" / "cat.png" and first.read_bytes() == PNG
    second = Path(records[1]["result"]["file"])
    assert second.parent == tmp_path / "images_files" and ".." not in second.name


def test_existing_output_is_never_overwritten_without_resume(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"text": "a"}])
    (tmp_path / "out.jsonl").write_text("keep me\n")
    with ModelServer() as server:
        code, stderr = run_cli(server, "--input", source, "--output", tmp_path / "out.jsonl")
    assert code == 2 and "--resume" in stderr
    assert (tmp_path / "out.jsonl").read_text() == "keep me\n"


def test_quota_stops_the_cli_with_exit_status_3(tmp_path: Path) -> None:
    rows = [{"id": i, "text": "quota" if i == 5 else f"row {i}"} for i in range(100)]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    with ModelServer() as server:
        code, stderr = run_cli(
            server, "--input", source, "--output", tmp_path / "o.jsonl", "--concurrency", "1"
        )
    assert code == 3, stderr
    assert "3036" in stderr and "--resume" in stderr
    assert len(read_jsonl(tmp_path / "o.jsonl")) == 6
