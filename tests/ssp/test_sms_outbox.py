"""Text messages through a municipality's HTTP gateway, against a tiny gateway this test runs:
the JSON it receives, the bearer token, retries on failure, and a token that never appears
in the database in clear, in the row's error or in the log."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ssp.models import OutgoingEmailStatus, OutgoingSms
from ssp.notify import sms

pytestmark = pytest.mark.django_db

TOKEN = "meget-hemmelig-token-123"


class Gateway:
    def __init__(self) -> None:
        self.received: list[dict] = []
        self.status = 202

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/send"


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            state.received.append(
                {
                    "path": self.path,
                    "authorization": self.headers["Authorization"],
                    "content_type": self.headers["Content-Type"],
                    "json": json.loads(self.rfile.read(length)),
                }
            )
            self.send_response(state.status)
            self.end_headers()
            self.wfile.write(b'{"detail": "echo +4520000001"}')

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def _queued(gateway: Gateway, *numbers: str) -> list[OutgoingSms]:
    config = sms.sms_gateway_save(
        gateway=None, url=gateway.url, token=TOKEN, sender="SSP Test", is_active=True
    )
    return sms.sms_send(
        gateway=config, to=numbers, body="Der er en ny bekymring, som haster. Log ind."
    )


def test_the_gateway_gets_one_json_post_per_number_with_the_bearer_token(
    gateway: Gateway,
) -> None:
    rows = _queued(gateway, "+45 20 00 00 01", "20000001", "0045 30 00 00 02")

    for row in rows:
        assert sms.sms_deliver(sms_id=row.pk) is None
        assert sms.sms_deliver(sms_id=row.pk) is None  # a redelivered message sends nothing

    assert len(rows) == 2, "the same number written twice is one message"
    assert [r["json"]["to"] for r in gateway.received] == ["+4520000001", "+4530000002"]
    first = gateway.received[0]
    assert first["authorization"] == f"Bearer {TOKEN}"
    assert first["content_type"] == "application/json"
    assert first["json"] == {
        "to": "+4520000001",
        "message": "Der er en ny bekymring, som haster. Log ind.",
        "sender": "SSP Test",
    }
    statuses = OutgoingSms.objects.filter(pk__in=[row.pk for row in rows])
    assert set(statuses.values_list("status", flat=True)) == {OutgoingEmailStatus.SENT}


def test_a_refusing_gateway_is_tried_again_and_the_token_is_never_logged(
    gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    gateway.status = 500
    (row,) = _queued(gateway, "20000001")

    with caplog.at_level(logging.DEBUG):
        delay = sms.sms_deliver(sms_id=row.pk)

    row.refresh_from_db()
    assert delay is not None
    assert delay > 0
    assert (row.status, row.attempts, row.last_error) == (
        OutgoingEmailStatus.PENDING,
        1,
        "GatewayError: HTTP 500",
    )
    stored = row.gateway.token_encrypted
    assert TOKEN not in stored, "the token is stored in clear"
    assert TOKEN not in caplog.text
    assert "20000001" not in caplog.text

    gateway.status = 200
    assert sms.sms_deliver(sms_id=row.pk) is None
    row.refresh_from_db()
    assert row.status == OutgoingEmailStatus.SENT


def test_an_unreachable_gateway_gives_up_after_the_maximum_attempts(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SMS_MAX_ATTEMPTS = 2
    config = sms.sms_gateway_save(
        gateway=None, url="http://127.0.0.1:9/nothing", token=TOKEN, sender="", is_active=True
    )
    (row,) = sms.sms_send(gateway=config, to=["20000001"], body="Haster.")

    assert sms.sms_deliver(sms_id=row.pk) is not None
    assert sms.sms_deliver(sms_id=row.pk) is None

    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutgoingEmailStatus.FAILED, 2)
    assert "127.0.0.1" not in row.last_error


def test_production_accepts_only_an_https_gateway(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SMS_GATEWAY_ALLOW_HTTP = False

    with pytest.raises(Exception, match="https"):
        sms.sms_gateway_save(
            gateway=None, url="http://sms.example.test/", token=TOKEN, sender="", is_active=True
        )


def test_a_switched_off_gateway_queues_nothing(gateway: Gateway) -> None:
    config = sms.sms_gateway_save(
        gateway=None, url=gateway.url, token=TOKEN, sender="", is_active=False
    )

    assert sms.sms_send(gateway=config, to=["20000001"], body="Haster.") == []
