"""Jobs that run outside a request: the refresh pass and its scheduler."""
