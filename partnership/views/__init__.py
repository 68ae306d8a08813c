"""The views: documents (report, checklist) laid out once, rendered per format.

:mod:`.escape` makes any text safe in Markdown and HTML; :mod:`.document` is the block
model that :mod:`.markdown`, :mod:`.html` and :mod:`.rich` render; :mod:`.xlsx` writes
sheets; :mod:`.report` and :mod:`.checklist` lay their data out for all of them.
"""
