"""Run in a subprocess by test_suite_package.py, with the generated suite package first on sys.path:
each case through the generated client over a real socket; prints one JSON verdict list."""

from __future__ import annotations

import json
import sys

from tests.support.fault_server import FaultServer, Reply
from workers_ai import WorkersAI
from workers_ai.errors import InputValidationError


def main() -> None:
    cases = json.loads(sys.stdin.read())
    verdicts = []
    with (
        FaultServer(default=Reply.envelope({})) as server,
        WorkersAI(account_id="acc", api_token="t", base_url=server.base_url, max_retries=0) as client,
    ):
        for model, value in cases:
            before = server.count
            try:
                client.run(model, {"v": value})
                sent = True
            except InputValidationError:
                sent = False
            assert sent == (server.count > before)
            verdicts.append(sent)
    print(json.dumps(verdicts))


if __name__ == "__main__":
    main()
