"""A small real SMTP server for tests: it listens on a port, accepts every message and keeps
it, and can be stopped and started again on the same port (a mail server that goes away)."""

from __future__ import annotations

import email
import socket
import socketserver
import threading
from dataclasses import dataclass
from email.message import Message


@dataclass(frozen=True)
class Received:
    recipients: tuple[str, ...]
    message: Message


class _Session(socketserver.StreamRequestHandler):
    """One client connection speaking the part of SMTP that smtplib uses without TLS."""

    server: _Server

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode("ascii"))

    def handle(self) -> None:
        self._reply("220 localhost test SMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self._reply("250-localhost")
                self._reply("250 8BITMIME")
            elif verb in ("HELO", "NOOP"):
                self._reply("250 OK")
            elif verb == "MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                self._receive(recipients)
                self._reply("250 OK")
            elif verb == "RSET":
                recipients = []
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")

    def _receive(self, recipients: list[str]) -> None:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        message = email.message_from_bytes(b"".join(lines))
        with self.server.lock:
            self.server.received.append(Received(tuple(recipients), message))


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int, received: list[Received], lock: threading.Lock) -> None:
        self.received = received
        self.lock = lock
        super().__init__(("127.0.0.1", port), _Session)


class SmtpServer:
    """Start with `start()`, stop with `stop()`; what it received stays in `received`."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None

    def start(self) -> None:
        self._server = _Server(self.port, self.received, self._lock)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self.received)
