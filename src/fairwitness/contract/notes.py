"""Notes on contract columns longer than a line (`fairwitness.contract.tables` declares the
columns; `docs/reference/contract.md` prints these beside them)."""

ABSENCE_STATUS_DOC = (
    "the request's state, as HR systems export leave requests (SuccessFactors `approvalStatus`, Oracle "
    "`ABSENCE_STATUS`, other words declared in `[values.status]`): a rejected, cancelled or withdrawn absence did "
    "not happen and no detector sees it; a pending one may excuse missing presence or attendance but is never "
    "held against the person; empty: recorded, in effect"
)
PART_DAY_DOC = (
    "{unit} absent, where the source says ({what}); a record of one date with {part} is part of "
    "that day, which hours unknown: nothing within that day is held against the absence"
)

ACTIVITY_DOC = (
    "what the organisation does, as the source or a join with another register gives it (Companies House SIC "
    "codes, `98000 Residents property management`; the Charity Commission's `registered charity 1123456`): a "
    "directorship of a residents' management or right-to-manage company, or of a charity, is held for no gain "
    "and need not be declared"
)


__all__ = ["ABSENCE_STATUS_DOC", "ACTIVITY_DOC", "PART_DAY_DOC"]
