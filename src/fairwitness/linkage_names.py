"""How record linkage reads a name and a date of birth (`fairwitness.linkage`): titles,
accents, punctuation and "Surname, Forename" order removed, common short forms taken for the
full forename, a date read as ``YYYY-MM-DD`` text."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_TITLES = frozenset(
    "mr mrs ms miss mx dr prof sir dame lord lady rev pc dc ps ds sgt insp di dci supt cs "
    "det constable sergeant inspector mrs. jr snr sr junior senior".split()
)

# Common English short forms -> the full forename (a record may say "Liz Barnes" for
# "Elizabeth Barnes"). Deliberately small and unambiguous; a force can extend it.
NICKNAMES: dict[str, str] = {
    "liz": "elizabeth", "lizzie": "elizabeth", "beth": "elizabeth", "betty": "elizabeth", "eliza": "elizabeth",
    "bob": "robert", "rob": "robert", "robbie": "robert", "bobby": "robert",
    "bill": "william", "will": "william", "billy": "william", "liam": "william",
    "jim": "james", "jimmy": "james", "jamie": "james",
    "mike": "michael", "mick": "michael", "mikey": "michael",
    "dave": "david", "davy": "david", "steve": "stephen", "stevie": "stephen",
    "tom": "thomas", "tommy": "thomas", "chris": "christopher", "kate": "katherine", "katie": "katherine",
    "kathy": "katherine", "cathy": "catherine", "sue": "susan", "susie": "susan", "jen": "jennifer",
    "jenny": "jennifer", "alex": "alexander", "sam": "samuel", "ben": "benjamin", "dan": "daniel",
    "danny": "daniel", "matt": "matthew", "nick": "nicholas", "pete": "peter", "tony": "anthony",
    "andy": "andrew", "joe": "joseph", "jo": "joanne", "maggie": "margaret", "meg": "margaret",
    "peggy": "margaret", "nat": "natalie", "vicky": "victoria", "becky": "rebecca", "becca": "rebecca",
    "ed": "edward", "eddie": "edward", "ted": "edward", "rich": "richard", "rick": "richard",
    "dick": "richard", "charlie": "charles", "chas": "charles", "harry": "henry", "jack": "john",
    "johnny": "john", "jon": "jonathan", "ollie": "oliver", "olly": "oliver", "abi": "abigail",
    "abby": "abigail", "debbie": "deborah", "deb": "deborah", "mandy": "amanda", "pat": "patricia",
    "trish": "patricia", "ellie": "eleanor", "nell": "eleanor", "fred": "frederick", "freddie": "frederick",
    "greg": "gregory", "phil": "philip", "ron": "ronald", "ray": "raymond", "tim": "timothy",
    "len": "leonard", "lenny": "leonard", "gerry": "gerald", "josh": "joshua", "zach": "zachary",
}


def canonical_forename(forename: str | None) -> str | None:
    """The full forename a short form stands for (itself when not a known short form)."""
    if forename is None:
        return None
    return NICKNAMES.get(forename, forename)


def normalise_name(name: str | None) -> tuple[str | None, str | None]:
    """(forename, surname) of a free-text name: accents, case, titles, punctuation and
    "Surname, Forename" order removed. ``None`` parts when nothing usable is left."""
    if name is None:
        return None, None
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().strip()
    if "," in text:
        surname, _, rest = text.partition(",")
        text = f"{rest} {surname}"
    text = text.replace("'", "").replace("’", "")
    tokens = [t for t in re.split(r"[^a-z]+", text) if t and t not in _TITLES]
    if not tokens:
        return None, None
    if len(tokens) == 1:
        return None, tokens[0]
    return tokens[0], tokens[-1]


def dob_text(value: Any) -> str | None:
    """A date of birth as ``YYYY-MM-DD`` text; None when it is not one."""
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", text) else None


__all__ = ["NICKNAMES", "canonical_forename", "dob_text", "normalise_name"]
