"""Files in and out: claims read from a monitoring export (``claim_files``) and the public
record written out (``rebuttal_export``), for ``coordhub claims import`` and ``coordhub
rebuttals export``.

Nothing here holds a rule: an imported line is reported through ``coordhub.workflow`` as the
importing token's actor, and an export reads what the public record shows
(``coordhub.public.records``, through ``workflow/visibility.py``).
"""
