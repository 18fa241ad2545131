"""cityevents: a catalog of smart-city and urban-innovation events, read from the announcements themselves."""

__version__ = "0.1.0"
