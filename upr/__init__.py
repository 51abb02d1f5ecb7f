"""The edge of UPR Outreach: configuration, the app factory and the ``upr`` command line."""
