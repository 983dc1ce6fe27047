"""Eligibility's tables: the messaging tables and its replicas of intake's calls and applications."""

from __future__ import annotations

from sfms_shared.audit import audit_table
from sfms_shared.db import new_metadata
from sfms_shared.messaging.tables import messaging_tables
from sfms_shared.replicas import intake_replicas

metadata = new_metadata()
messaging = messaging_tables(metadata)
replicas = intake_replicas(metadata)
audit = audit_table(metadata)
