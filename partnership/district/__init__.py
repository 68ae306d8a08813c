"""District mode: many agreements planned together under their brigades' daily capacity.

``model`` and ``loader`` read the district file; ``planner`` makes the joint plan with
``solver`` (an LP bound and a repaired primal); ``views`` render it for the brigades.
"""
