"""Demo mode's capturing SMTP server: aiosmtpd on loopback, keeping each message as an ``.eml`` file.

Nothing leaves the machine; the Outbox page shows what was "sent" and the files show the exact bytes.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from outreach.smtp import SmtpSettings


def free_port() -> int:
    # aiosmtpd's Controller cannot take port 0 (its self-check connects to the port it was given).
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _SaveToFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.count += 1
        name = f"{envelope.rcpt_tos[0].replace('@', '_at_')}-{self.count:05d}.eml"
        (self.folder / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"  # i18n: fixed (SMTP's own reply)


class CaptureServer:
    """A started capturing server; ``smtp`` is how the sweep reaches it, ``shutdown()`` stops it."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._controller = Controller(_SaveToFolder(folder), hostname="127.0.0.1", port=free_port())
        self._controller.start()
        self.smtp = SmtpSettings(
            host="127.0.0.1", port=self._controller.port, sender="UPR Outreach demo <outreach@example.org>"
        )

    def shutdown(self) -> None:
        self._controller.stop()


def captured_mail_folder(instance_path: str | Path) -> Path:
    return Path(instance_path) / "captured-mail"
