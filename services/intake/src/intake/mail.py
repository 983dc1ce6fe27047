"""Delivering notices: each pending notice becomes one e-mail, written as an ``.eml`` file
to the mailbox folder (embedded mode: an operator opens them there) or sent by SMTP, then
marked sent. A notice is delivered under its own id — the file name, the Message-ID — so
a delivery repeated after a crash between sending and marking overwrites the same file,
and a mail server can recognise the repeat.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from sqlalchemy import select, update

from intake.config import Settings
from intake.handlers.context import Intake
from intake.handlers.notifications import remind
from intake.models import notification

BATCH = 100


class Mailer:
    def __init__(self, ctx: Intake, settings: Settings) -> None:
        self.ctx, self.settings = ctx, settings

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver what is pending every second; scan for due reminders every
        ``notice_scan_seconds``."""
        loop = asyncio.get_running_loop()
        next_scan = loop.time()
        while not stop.is_set():
            if loop.time() >= next_scan:
                await remind(self.ctx)
                next_scan = loop.time() + self.settings.notice_scan_seconds
            await self.deliver_pending()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)

    async def deliver_pending(self) -> int:
        async with self.ctx.sessions() as session:
            rows = (
                await session.execute(
                    select(notification)
                    .where(notification.c.status == "pending")
                    .order_by(notification.c.created_at, notification.c.id)
                    .limit(BATCH)
                )
            ).all()
        for row in rows:
            message = self.message(row)
            if self.settings.mail_transport == "smtp":
                await asyncio.to_thread(self._send, message)
            else:
                await asyncio.to_thread(self._write, str(row.id), message)
            async with self.ctx.sessions() as session, session.begin():
                await session.execute(
                    update(notification)
                    .where(notification.c.id == row.id)
                    .values(status="sent", sent_at=self.ctx.clock.now())
                )
        return len(rows)

    def message(self, row: Any) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.settings.mail_from
        message["To"] = row.recipient
        message["Subject"] = row.subject
        message["Date"] = format_datetime(row.created_at)
        message["Message-ID"] = f"<{row.id}@sfms.local>"
        message["X-SFMS-Notice"] = f"{row.kind} {row.id}"
        message.set_content(row.body, charset="utf-8")
        return message

    def _write(self, name: str, message: EmailMessage) -> None:
        folder = self.settings.mailbox_path
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{name}.tmp"
        temporary.write_bytes(message.as_bytes())
        os.replace(temporary, folder / f"{name}.eml")

    def _send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.settings.smtp_host, self.settings.smtp_port, timeout=30) as smtp:
            smtp.send_message(message)
