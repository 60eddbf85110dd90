"""British names with variety, and the spelling variation of records keyed by name."""

from __future__ import annotations

import numpy as np

MALE = {
    "white": "James John David Michael Paul Mark Andrew Richard Daniel Thomas Christopher Matthew Robert Stephen "
    "William Peter Simon Lee Craig Gareth Liam Jack Harry Oliver George Callum Ryan Jamie Sean Patrick Connor "
    "Darren Neil Gavin Ian Stuart Kieran Aaron Dominic Rhys Tomasz Piotr Luca Marco",
    "asian": "Mohammed Ahmed Imran Amir Ali Hassan Bilal Usman Rajesh Sanjay Vikram Arjun Ravi Sunil Harpreet "
    "Gurpreet Jaswinder Amit Nikhil Zain Tariq Faisal Omar Kamran Wei Jun Minh",
    "black": "Michael Daniel Samuel David Joseph Emmanuel Kwame Kofi Oluwaseun Chinedu Tunde Femi Jermaine Marcus "
    "Tyrone Leon Andre Nathaniel Isaac Abdi Yusuf",
}
FEMALE = {
    "white": "Sarah Emma Laura Rebecca Claire Rachel Nicola Lisa Helen Hannah Amy Charlotte Sophie Jessica Katie "
    "Lucy Victoria Jennifer Kelly Gemma Louise Joanne Natalie Catherine Elizabeth Megan Chloe Olivia Ellie "
    "Siobhan Aoife Bethan Zofia Agnieszka Giulia",
    "asian": "Fatima Aisha Ayesha Sana Zara Amina Priya Anjali Sunita Pooja Harjit Manpreet Simran Nadia Rukhsana "
    "Shabana Farah Mei Li Anh",
    "black": "Grace Blessing Abimbola Chioma Funmilayo Adaeze Ngozi Shanice Chantelle Keisha Tanisha Aaliyah "
    "Precious Esther Ruth Hodan Amal Naomi",
}
SURNAMES = {
    "white": "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White "
    "Roberts Green Hall Wood Jackson Clarke Harris Lewis Turner Hill Cooper Ward Morris Moore King Watson Baker "
    "Harrison Morgan Patel Young Allen Mitchell James Anderson Phillips Lee Bell Parker Davis Murphy O'Brien "
    "Kelly McDonald MacLeod Campbell Stewart Hughes Price Griffiths Owen Nowak Kowalski Rossi Fitzgerald "
    "Doherty Sullivan Bennett Carter Shaw Lloyd Marshall Webb Simpson Ellis Barnes Holmes Knight Fletcher "
    "Chapman Hunt Palmer Mason Rogers Gray Cole Foster Ellison Ashworth Pemberton",
    "asian": "Khan Patel Ahmed Ali Hussain Begum Shah Singh Kaur Sharma Gill Sandhu Chaudhry Rahman Iqbal Malik "
    "Akhtar Mistry Desai Kapoor Chen Wang Nguyen Li Zhang",
    "black": "Okafor Adeyemi Mensah Boateng Owusu Okonkwo Adebayo Campbell Williams Johnson Francis Edwards "
    "Thomas Brown Clarke Grant Ogunleye Nwosu Abdi Mohamed Asante",
}
MIDDLE = "James John Michael David Anne Marie Louise Elizabeth Jane Rose Edward Alexander Grace Mae Lee Ann".split()
NICKNAMES = {
    "William": "Bill", "Robert": "Bob", "Richard": "Dick", "Elizabeth": "Liz", "Katherine": "Kate",
    "Catherine": "Cathy", "Michael": "Mike", "Christopher": "Chris", "Matthew": "Matt", "Daniel": "Dan",
    "Thomas": "Tom", "James": "Jim", "Jennifer": "Jenny", "Rebecca": "Becky", "Victoria": "Vicky",
    "Stephen": "Steve", "Andrew": "Andy", "Nicola": "Nicky", "Samuel": "Sam", "Joseph": "Joe",
    "Jessica": "Jess", "Charlotte": "Lottie", "Mohammed": "Mo", "Nathaniel": "Nat", "Patrick": "Pat",
    "Peter": "Pete", "Jonathan": "Jon", "Abimbola": "Bimbo", "Oluwaseun": "Seun", "Olivia": "Liv",
    "Dominic": "Dom", "Benjamin": "Ben", "Alexander": "Alex", "Gareth": "Gaz", "Timothy": "Tim",
}
ETHNIC_POOL = {"White": "white", "Asian": "asian", "Black": "black", "Mixed": None, "Other": None, "Not stated": None}


def draw_names(female: np.ndarray, ethnicity: list[str], rng: np.random.Generator) -> tuple[list[str], list[str], list[str]]:
    """First, middle ('' when none) and last names, drawn loosely by ethnicity group."""
    firsts, middles, lasts = [], [], []
    pools = ("white", "asian", "black")
    u = rng.random((len(female), 6))
    for i, (fem, eth) in enumerate(zip(female, ethnicity, strict=True)):
        pool = ETHNIC_POOL.get(eth) or pools[int(u[i, 0] * 3)]
        last_pool = pool if u[i, 1] > 0.15 else pools[int(u[i, 2] * 3)]
        given = (FEMALE if fem else MALE)[pool].split()
        surnames = SURNAMES[last_pool].split()
        firsts.append(given[int(u[i, 3] * len(given))])
        lasts.append(surnames[int(u[i, 4] ** 1.6 * len(surnames))])
        middles.append(MIDDLE[int(u[i, 5] * 1000) % len(MIDDLE)] if u[i, 5] < 0.4 else "")
    return firsts, middles, lasts


def full_name(first: str, middle: str, last: str) -> str:
    return " ".join(x for x in (first, middle, last) if x)


def _typo(word: str, rng: np.random.Generator) -> str:
    if len(word) < 4:
        return word
    i = int(rng.integers(1, len(word) - 1))
    kind = rng.integers(0, 3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def spelling_variant(first: str, middle: str, last: str, rng: np.random.Generator) -> str:
    """How another organisation might record the same person's name."""
    r = rng.random()
    if r < 0.25:
        return full_name(first, middle, last)
    if r < 0.40:
        return f"{first} {last}"
    if r < 0.52:
        return full_name(NICKNAMES.get(first, first), "", last)
    if r < 0.62:
        return f"{first[0]}. {last}" if rng.random() < 0.5 else f"{first[0]} {middle[:1]} {last}".replace("  ", " ")
    if r < 0.74:
        return f"{last.upper()}, {full_name(first, middle, '')}"
    if r < 0.88:
        return full_name(_typo(first, rng), middle, last)
    return full_name(first, "", _typo(last, rng))


def dob_variant(dob_day: int, rng: np.random.Generator) -> int:
    """A date of birth as recorded elsewhere: mostly right, sometimes a day or a year out."""
    r = rng.random()
    if r < 0.9:
        return dob_day
    if r < 0.95:
        return dob_day + int(rng.choice([-1, 1]))
    # the year mistyped, day and month kept (365 days would slip a day across a 29 February)
    d = (np.datetime64("1970-01-01") + np.timedelta64(int(dob_day), "D")).astype(object)
    year = d.year + int(rng.choice([-1, 1]))
    day = min(d.day, 28) if (d.month, d.day) == (2, 29) else d.day
    return int((np.datetime64(f"{year:04d}-{d.month:02d}-{day:02d}") - np.datetime64("1970-01-01")).astype(int))


BUSINESS_WORDS = (
    "Thames Kingsway Ashdown Riverside Meridian Greenfield Oakwood Crown Beacon Harbour Summit Northgate Elm "
    "Brookside Highgate Larch Phoenix Sterling Westway Lantern Albion Copperfield Marlow Hawthorn Regent"
).split()
BUSINESS_KINDS = (
    "Lettings Property Services Consulting Driving School Fitness Security Solutions Photography Tutoring "
    "Removals Events Plumbing Landscaping Catering Carpentry Training Media IT Services Cleaning"
).split(" ")
LODGES = (
    "Lodge of Unity No. {n}", "St George's Lodge No. {n}", "Royal Antediluvian Order of Buffaloes, Lodge {n}",
    "Lodge of Harmony No. {n}", "Order of Women Freemasons, Lodge {n}", "Chapter of Fidelity No. {n}",
)
CLUBS = ("Rotary Club of {w}", "{w} Golf Club", "{w} Running Club", "National Trust", "{w} Rugby Club", "{w} Cricket Club")


def business_name(rng: np.random.Generator) -> str:
    w = BUSINESS_WORDS[int(rng.integers(len(BUSINESS_WORDS)))]
    k = BUSINESS_KINDS[int(rng.integers(len(BUSINESS_KINDS)))]
    return f"{w} {k} Ltd" if rng.random() < 0.85 else f"{w} {k}"


BUILDINGS = ("{w} Court", "{w} House", "{w} Mansions", "{w} Gardens", "{w} Lodge", "{n} {w} Road", "{w} Wharf")


def building_name(rng: np.random.Generator) -> str:
    """A block of flats, as its residents' company is named after it."""
    b = BUILDINGS[int(rng.integers(len(BUILDINGS)))]
    return b.format(w=BUSINESS_WORDS[int(rng.integers(len(BUSINESS_WORDS)))], n=f"{int(rng.integers(1, 40))}-{int(rng.integers(41, 90))}")


def lodge_name(rng: np.random.Generator) -> str:
    return LODGES[int(rng.integers(len(LODGES)))].format(n=int(rng.integers(100, 9999)))


def club_name(rng: np.random.Generator) -> str:
    return CLUBS[int(rng.integers(len(CLUBS)))].format(w=BUSINESS_WORDS[int(rng.integers(len(BUSINESS_WORDS)))])


def counterparty_variant(name: str, rng: np.random.Generator) -> str:
    """The same organisation as another register writes it."""
    r = rng.random()
    if r < 0.45:
        return name
    if r < 0.65:
        return name.replace(" Ltd", " Limited") if " Ltd" in name else name + " Ltd"
    if r < 0.8:
        return name.upper()
    if r < 0.9:
        return name.replace(" and ", " & ") if " and " in name else name.replace("'", "")
    return name.replace(" Ltd", "").lower().title()
