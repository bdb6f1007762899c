"""Facts from the prose of an annual report, with quotes, lines and cross-checks against the tables.

    from analysis.narrative import extract_narrative, narrative_checks
    narr = extract_narrative(doc.text)          # Narrative(facts=[Fact, ...])
    narr.to_json()       # {"applications_stated": {"value": 81, "quote": …, "line": 30, …}, …}
    narr.to_records()    # tidy rows, keys "narr.*", status "stated" | "derived"
    narrative_checks(narr, values, prev_values)  # rows like the tables' checks

Keys (a ``group.member`` key is one item of a list, each with its own quote):

- ``applications_stated`` (basis: new | new_plus_carried | office_only | unknown, as the prose says;
  the check row says which table quantity it matches), ``applications_stated_basis``
- ``yoy_growth_pct_stated`` (signed percent, ``detail.decimals``), ``yoy_abs_stated`` (signed count),
  ``yoy_direction`` (increase | decrease | flat)
- ``prev_year_applications_implied`` (derived): [low, high], ``detail.integer`` when exactly one fits
- ``history``: {series: {year: count}}, ``detail.series_lines`` / ``duplicate_lines``
- ``land_requisition``: value {count, share}, level count | share | qualitative | proxy (to_json adds
  level "none" when nothing is stated)
- ``topics.<name>``, ``channels.<online|letter|in_person|fax|email>``, ``applicants_stated.<column>``,
  ``requests_breakdown.<unit>``, ``outcomes_stated.<granted|partially_granted|granted_or_partial|denied|
  unable|unable_not_held|not_exist|not_processed|other|needs_correction|transferred>``
- ``processed_stated``, ``carried_forward_stated``, ``answered_on_time_pct_stated``
- ``review_stated``, ``review_results.<upheld|corrected|other|pending>``, ``litigation_stated``,
  ``litigation_direct_stated``, ``litigation_after_review_stated``, ``review_litigation_note``
- ``fees_stated`` (yuan; 0 when "未收取"), ``normative_documents_stated.<in_force|made|repealed>``

Prose values live under their own keys and are never written into table keys.
"""

from .checks import narrative_checks
from .extract import extract_narrative
from .model import Fact, Narrative

__all__ = ["Fact", "Narrative", "extract_narrative", "narrative_checks"]
