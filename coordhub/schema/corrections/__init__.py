"""Correction requests: readers' requests to correct a published rebuttal, and the answers."""
