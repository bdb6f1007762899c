"""extract_narrative: the facts a report states in words, each with its quote and line."""

from __future__ import annotations

from .context import Ctx
from .history import history_fact
from .items import (
    Item,
    carried_after_number,
    item_facts,
    land_fact,
    named_channels,
    qualitative_topics,
    read_items,
    share_only_land,
    zones,
)
from .model import Narrative
from .numbers import as_plain, parse_number
from .other import fee_fact, normative_facts, on_time_fact, review_facts
from .requests import application_facts, find_applications, implied_fact, yoy_facts


def extract_narrative(text: str) -> Narrative:
    """Read the prose of one report (the read stage's ``Document.text``)."""
    ctx = Ctx(text)
    narr = Narrative(year=ctx.year(), whole_government=ctx.whole_government())
    facts = narr.facts

    apps = find_applications(ctx)
    facts.extend(application_facts(ctx, apps))
    if apps:
        yoy = yoy_facts(ctx, apps[0])
        facts.extend(yoy)
        implied = implied_fact(ctx, apps[0], yoy)
        if implied:
            facts.append(implied)

    zs = zones(ctx, apps)
    skip = [(a.num_start, a.end) for a in apps]
    items: list[Item] = []
    for z in zs:
        items.extend(read_items(ctx, z, skip))
    listed = item_facts(ctx, items)
    if not any(f.key == "carried_forward_stated" for f in listed):
        for z in zs:
            m = carried_after_number(ctx, z)
            if m:
                listed.append(ctx.fact("carried_forward_stated", as_plain(parse_number(m.group("num")).value),
                                       ctx.clause_start(m.start(), z[0]), ctx.clause_end(m.end())))
                break
    topics = [f for f in listed if f.key.startswith("topics.")]
    for z in zs:
        for f in qualitative_topics(ctx, z):
            if f.key not in {t.key for t in topics}:
                topics.append(f)
                listed.append(f)
    if not any(f.key.startswith("channels.") for f in listed):
        for z in zs:
            listed.extend(named_channels(ctx, z))
    facts.extend(listed)

    land = land_fact(ctx, topics, items)
    if land is None:
        for z in zs:
            land = share_only_land(ctx, z)
            if land:
                break
    if land:
        facts.append(land)

    hist = history_fact(ctx)
    if hist:
        facts.append(hist)
    facts.extend(review_facts(ctx))
    fee = fee_fact(ctx, zs)
    if fee:
        facts.append(fee)
    facts.extend(normative_facts(ctx))
    rate = on_time_fact(ctx, zs)
    if rate:
        facts.append(rate)
    return narr
