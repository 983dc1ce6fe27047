"""Settlement's tables: messaging, replicas of intake's calls and applications, audit,
idempotency records, and its own reviews, projects, agreements, payables, settlements."""

from __future__ import annotations

from settlement.tables import settlement_tables
from sfms_shared.audit import audit_table
from sfms_shared.db import new_metadata
from sfms_shared.idempotency import idempotency_table
from sfms_shared.messaging.tables import messaging_tables
from sfms_shared.replicas import intake_replicas

metadata = new_metadata()
messaging = messaging_tables(metadata)
replicas = intake_replicas(metadata)
audit = audit_table(metadata)
tables = settlement_tables(metadata)
idempotency_record = idempotency_table(metadata)
