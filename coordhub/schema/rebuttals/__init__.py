"""Rebuttals: an institution's answer to a claim, from draft to published revisions."""
