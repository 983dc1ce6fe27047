"""Eligibility's tables: messaging, replicas of intake's calls and applications, audit,
decisions, and the partner registries."""

from __future__ import annotations

from eligibility.decision_tables import decision_tables
from eligibility.registries.tables import registry_table
from sfms_shared.audit import audit_table
from sfms_shared.db import new_metadata
from sfms_shared.messaging.tables import messaging_tables
from sfms_shared.replicas import intake_replicas

metadata = new_metadata()
messaging = messaging_tables(metadata)
replicas = intake_replicas(metadata)
audit = audit_table(metadata)
decisions, review_subjects, overrides = decision_tables(metadata)
registry_records = registry_table(metadata)
