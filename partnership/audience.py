"""Who an occurrence concerns: the audience filter of .ics files and the 参加人员 line."""

from __future__ import annotations

from partnership.model import Agreement
from partnership.plan import Occurrence


def audience_of(agreement: Agreement, o: Occurrence) -> tuple[str, ...]:
    """The audiences of an occurrence, in the commitment's order.

    A lead-up session (co-creation, rehearsal) concerns its own ``audience``, or by
    default the commitment's audience without parents: parents come to the show,
    not to the rehearsals.
    """
    c = agreement.commitment(o.commitment)
    if o.lead_up_of is None:
        return tuple(c.audience)
    k = int(o.id.rsplit("-", 1)[1])
    lead_up = c.lead_up[k - 1] if 0 < k <= len(c.lead_up) else None
    if lead_up is not None and lead_up.audience is not None:
        return tuple(lead_up.audience)
    return tuple(x for x in c.audience if x != "parents") or tuple(c.audience)
