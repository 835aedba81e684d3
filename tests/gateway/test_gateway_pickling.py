"""A client with gateway settings pickles with them (process pools, Ray) and never shows a token."""

from __future__ import annotations

import pickle

from tests.gateway.gateway_support import ACCOUNT, GATEWAY_TOKEN, TOKEN
from workers_ai import GatewayOptions, WorkersAI


def _client() -> WorkersAI:
    return WorkersAI(
        account_id=ACCOUNT,
        api_token=TOKEN,
        gateway=GatewayOptions(
            id="g", authorization=GATEWAY_TOKEN, cache_ttl=60, metadata={"team": "search", "n": 2}
        ),
        gateway_base_url="http://127.0.0.1:9/gw",
        unified_run=True,
        max_response_bytes=4096,
    )


def test_pickled_client_keeps_its_gateway_settings() -> None:
    with _client() as client, pickle.loads(pickle.dumps(client)) as copy:
        assert copy.gateway == client.gateway
        assert copy.gateway_base_url == "http://127.0.0.1:9/gw"
        assert copy.unified_run is True
        assert copy.max_response_bytes == 4096
        assert dict(copy._endpoint.headers) == dict(client._endpoint.headers)
        assert copy._endpoint.prefix == client._endpoint.prefix


def test_with_options_copy_shares_the_pool_and_pickles_with_a_new_one() -> None:
    with _client() as client:
        other = client.with_options(timeout=3.0, unified_run=False)
        assert other._http is client._http and not other._owns_http
        with pickle.loads(pickle.dumps(other)) as copy:
            assert copy._http is not client._http
            assert (copy.timeout, copy.unified_run, copy.gateway) == (3.0, False, client.gateway)


def test_no_token_in_the_client_vars() -> None:
    with _client() as client:
        text = repr(vars(client)) + repr(client._json_wire) + repr(client._call.endpoint)
        assert TOKEN not in text and GATEWAY_TOKEN not in text
        assert "RedactedWireHeaders(" in repr(client._json_wire)
