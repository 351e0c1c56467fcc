"""The public record, read by anyone without a token: pages in Khmer and English, Atom feeds,
the sitemap and ClaimReview JSON-LD (see docs/public.md).

Everything here is read-only and shows only public records: rows are read through the rules in
``coordhub.workflow.visibility`` as the public (actor ``None``). Every page and feed is tagged
with the event log's sequence and kept in memory until the log moves (``coordhub.public.cache``).
"""
