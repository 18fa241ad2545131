"""Free text -> events. The entry point is :func:`cityevents.extract.engine.extract_events`."""
