"""Institutions: the ministries and state institutions of the working group."""
