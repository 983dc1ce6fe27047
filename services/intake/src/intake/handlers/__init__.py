"""Intake's use cases: load, call the domain, save, record outgoing events, in one transaction."""
