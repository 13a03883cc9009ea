"""Claims link to the events they are about, not to whatever was told nearby."""

from __future__ import annotations

from sitrep.api import extract

REPORT = (
    "Militants stormed a police post in Kandahar on Monday, killing five officers. "
    "Also on Monday, the foreign minister met his Pakistani counterpart in Islamabad. "
    "\u201cThe Taliban are attacking our police every week,\u201d a government spokesman said. "
    "\u201cThis has to stop,\u201d he added."
)


def _by_kind(result):
    return {e.event_id: (e.sub_event_type or e.plover.event) for e in result.events}


def test_claims_links_condemnation_to_violence_not_to_nearby_meeting():
    result = extract(REPORT, published="2022-08-09")
    kinds = _by_kind(result)
    spokesman = [c for c in result.claims if "spokesman" in c.claimant.lower()]
    assert spokesman, [(c.claimant, c.text) for c in result.claims]
    for claim in spokesman:
        linked = {kinds[i] for i in claim.event_ids}
        assert linked and "CONSULT" not in linked, linked
