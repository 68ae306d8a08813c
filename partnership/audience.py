"""Who an occurrence concerns and how to reach them: audiences, places, contacts.

The audience filter of .ics files and the 参加人员 line; the place and the contact lines
that the .ics files and the checklists share.
"""

from __future__ import annotations

from partnership.model import Agreement, Contact, Party
from partnership.plan import Occurrence

FAMILY = ("parents", "students")
"""Audiences whose files say what to bring and where to be, never the staff's next steps."""


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


def place(agreement: Agreement, location: str) -> str:
    """Where an activity is: a party's name and address for school/brigade, else the text."""
    if location not in ("school", "brigade"):
        return location
    party: Party = getattr(agreement.parties, location)
    if not party.address:
        return party.name
    return f"{party.name}{'，' if agreement.agreement.language == 'zh-CN' else ', '}{party.address}"


def contact_text(person: Contact, language: str) -> str:
    """ "王老师（德育处主任），023-…" / "Ms Wang (head of moral education), 023-…"."""
    text = person.name
    if person.role:
        text += f"（{person.role}）" if language == "zh-CN" else f" ({person.role})"
    if person.phone:
        text += f"{'，' if language == 'zh-CN' else ', '}{person.phone}"
    return text


def contacts_of(agreement: Agreement, owner: str) -> str:
    """Every contact of one party on one line ("" when it names none)."""
    party: Party = getattr(agreement.parties, owner)
    sep = "；" if agreement.agreement.language == "zh-CN" else "; "
    return sep.join(contact_text(p, agreement.agreement.language) for p in party.contacts)
