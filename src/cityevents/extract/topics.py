"""A first smart-city taxonomy, written as data, and a transparent keyword classifier.

Each :class:`Topic` lists the words and phrases that count as evidence for it. Matching is on whole
words, case-insensitive, with hyphens and spaces treated alike ("data-driven" = "data driven",
"A.I." = "a i"). Plurals are generated ("sensor" also matches "sensors", "city" "cities"); other
variants are listed. At each word the longest listed phrase wins, so "public transport" is one hit,
and a phrase listed under two topics ("inclusive finance") counts for both.

Text is reduced once to its words between spaces, and one regex, a trie of every phrase in
:data:`PHRASE_TOPICS`, finds them all in C, so the cost is linear in the text. Words too broad to
tell topics apart ("smart", "sustainable", "innovation") are deliberately absent, and so is "building"
on its own (mostly a verb: "building resilient cities").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Topic:
    """One theme of the taxonomy and the phrases that are evidence for it."""

    id: str
    label: str
    description: str
    keywords: tuple[str, ...]


def _topic(topic_id: str, label: str, description: str, keywords: str) -> Topic:
    """A topic whose keywords are written one per ``;``-separated item."""
    return Topic(topic_id, label, description, tuple(k.strip() for k in keywords.split(";") if k.strip()))


TOPICS: Final[tuple[Topic, ...]] = (
    _topic(
        "mobility",
        "Mobility and transport",
        "Moving people and goods: transit, cycling, cars, logistics.",
        "mobility; transport; transportation; public transport; public transit; transit; traffic; "
        "congestion; parking; bike; bicycle; cycling; cyclist; bike sharing; car sharing; carsharing; "
        "ride sharing; micromobility; micro mobility; e-scooter; scooter; electric vehicle; ev; "
        "ev charging; charging station; charging infrastructure; e-mobility; electromobility; "
        "autonomous vehicle; self-driving; connected vehicle; logistics; last mile; freight; bus; tram; "
        "metro; railway; rail; pedestrian; walkability; commuting; commuter; mobility as a service; "
        "maas; road safety",
    ),
    _topic(
        "energy",
        "Energy",
        "Producing, distributing and saving energy in cities.",
        "energy; renewable; renewables; renewable energy; solar; photovoltaic; wind power; wind energy; "
        "smart grid; microgrid; power grid; electricity; energy efficiency; energy efficient; "
        "positive energy; positive energy district; heat pump; district heating; decarbonisation; "
        "decarbonization; carbon-free; energy transition; energy community; community energy; hydrogen; "
        "battery; energy storage; energy consumption; energy market",
    ),
    _topic(
        "climate-resilience",
        "Climate and resilience",
        "Mitigating climate change and adapting to it.",
        "climate; climate change; climate adaptation; climate action; climate resilience; "
        "climate neutral; climate neutrality; adaptation; resilience; resilient; urban resilience; "
        "heatwave; heat wave; heat island; flood; flooding; drought; wildfire; disaster; disaster risk; "
        "disaster risk reduction; extreme weather; extremes; carbon neutrality; carbon neutral; "
        "net zero; emission; low carbon; greenhouse gas; mitigation",
    ),
    _topic(
        "digital-government",
        "Digital government",
        "Public administration and city services online.",
        "e-government; egovernment; digital government; public administration; public sector; "
        "digitization; digitisation; digitalization; digitalisation; digital transformation; "
        "city service; public service; digital public service; online service; e-service; govtech; "
        "civic tech; digital identity",
    ),
    _topic(
        "data-ai",
        "Data and AI",
        "Open and big data, analytics, artificial intelligence, digital twins.",
        "data; open data; big data; data-driven; data analytics; analytics; artificial intelligence; ai; "
        "a.i.; generative ai; generative a.i.; machine learning; digital twin; data platform; "
        "data space; algorithm; dashboard",
    ),
    _topic(
        "iot-privacy",
        "IoT, privacy and trust",
        "Sensors and connected devices, and the trust they need.",
        "iot; internet of things; sensor; connected device; privacy; digital privacy; data protection; "
        "gdpr; citizen trust; digital trust; public trust; digital rights",
    ),
    _topic(
        "connectivity",
        "Connectivity",
        "Networks that cities run on: broadband, 5G, public Wi-Fi.",
        "5g; broadband; connectivity; fibre; fiber; wi-fi; wifi; telecom; telecommunication; "
        "network coverage",
    ),
    _topic(
        "health",
        "Health and care",
        "Healthcare, public health, wellbeing and care for the elderly.",
        "health; healthcare; health care; public health; mental health; wellbeing; well-being; hospital; "
        "telemedicine; ehealth; e-health; elderly care; ageing; aging; pandemic",
    ),
    _topic(
        "finance",
        "Finance and investment",
        "Funding cities and their projects; fintech.",
        "finance; financing; fintech; funding; investment; investor; inclusive finance; "
        "financial inclusion; municipal bond; green bond; public-private partnership; ppp; banking; "
        "financial instrument",
    ),
    _topic(
        "buildings",
        "Buildings and construction",
        "Smart and efficient buildings, construction, retrofits.",
        "buildings; smart building; green building; building renovation; construction; retrofit; "
        "retrofitting; renovation; architecture; real estate; built environment; facility management; "
        "bim",
    ),
    _topic(
        "urban-farming",
        "Urban farming and food",
        "Growing and distributing food in and near cities.",
        "urban farming; urban agriculture; vertical farming; food desert; food security; food system; "
        "community garden; rooftop farm; agriculture; agritech; food",
    ),
    _topic(
        "circular-economy",
        "Circular economy and waste",
        "Keeping materials in use; waste and recycling.",
        "circular economy; circularity; recycling; waste; waste management; reuse; zero waste; "
        "upcycling; sharing economy; circular",
    ),
    _topic(
        "water",
        "Water",
        "Drinking water, wastewater, stormwater and their networks.",
        "water; wastewater; water management; stormwater; drinking water; sanitation; water supply; "
        "irrigation; leak detection",
    ),
    _topic(
        "environment",
        "Environment and nature",
        "Air, noise, green space and biodiversity.",
        "air quality; air pollution; pollution; noise; biodiversity; green infrastructure; "
        "nature-based solution; urban forest; tree; green space; environment; environmental; ecology; "
        "ecological; eco-friendly",
    ),
    _topic(
        "governance-participation",
        "Governance and participation",
        "How cities decide and how citizens take part.",
        "governance; participation; citizen participation; civic engagement; citizen engagement; "
        "co-creation; co-creating; participatory; participatory budgeting; democracy; policy; policies; "
        "cohesion policy; regulation; multi-level governance; stakeholder engagement; "
        "public consultation; transparency",
    ),
    _topic(
        "equity-inclusion",
        "Equity and inclusion",
        "Fair access to the city for everyone.",
        "equity; equitable; inclusion; inclusive; inclusiveness; equality; inequality; digital divide; "
        "accessibility; accessible; gender; women; women-led; diversity; social justice; "
        "just transition; just transformation; leave no one behind; vulnerable; poverty; "
        "inclusive finance; financial inclusion",
    ),
    _topic(
        "urban-planning",
        "Urban planning and development",
        "Planning, designing and regenerating the city.",
        "urban planning; city planning; spatial planning; urban development; city development; "
        "urban design; urban regeneration; urban renewal; land use; zoning; placemaking; public space; "
        "infrastructure; masterplan; master plan; 15-minute city; neighbourhood; neighborhood; "
        "urban environment",
    ),
    _topic(
        "safety-security",
        "Safety and security",
        "Public safety, emergencies and cybersecurity.",
        "safety; security; public safety; cybersecurity; cyber security; crime; policing; police; "
        "emergency; emergency response; surveillance; cctv; road safety; safe",
    ),
    _topic(
        "tourism-culture",
        "Tourism and culture",
        "Visitors, heritage, arts and the creative economy.",
        "tourism; tourist; smart tourism; visitor economy; culture; cultural; heritage; "
        "cultural heritage; museum; arts; creative industries; destination",
    ),
    _topic(
        "education",
        "Education and skills",
        "Schools, universities, skills and lifelong learning.",
        "education; educational; school; university; universities; academia; learning; "
        "lifelong learning; skills; digital skills; training; student; e-learning; capacity-building; "
        "capacity building",
    ),
    _topic(
        "housing",
        "Housing",
        "Affordable, social and adequate homes.",
        "housing; affordable housing; social housing; homelessness; homeless; rent; rental; tenant; "
        "dwelling",
    ),
)
TAXONOMY: Final[dict[str, Topic]] = {topic.id: topic for topic in TOPICS}

# ASCII capitals to lower case, every other ASCII character that is not a letter or digit to a space:
# text is then its words between spaces, unless a word keeps a non-ASCII character that is not
# alphanumeric.
ASCII_TOKEN_BYTES: Final = bytes.maketrans(
    bytes(range(128)),
    bytes(ord(c.lower() if c.isalnum() else " ") for c in map(chr, range(128))),
)
ASCII_BYTES: Final = bytes(range(128))


def _spaced_tokens(text: str) -> str:
    """The words of ``text`` (runs of letters and digits), lower-cased, each after one or more spaces.

    A byte translate costs a fraction of a regex scan, and no split is needed.
    """
    if text.isascii():
        return (" " + text).encode().translate(ASCII_TOKEN_BYTES).decode()
    # "surrogatepass": a lone surrogate (JSON allows them) goes through and then fails isalnum().
    encoded = (" " + text).encode(errors="surrogatepass")
    spaced = encoded.translate(ASCII_TOKEN_BYTES).decode(errors="surrogatepass")
    # Only the few non-ASCII characters need a look: lower-casing, or a character class, costs far
    # more per character than a translate. Lower-casing after the translate only turns letters into
    # letters ("İ" into "i" and a combining dot), as it does before it; just a final sigma may take the
    # other form, as ASCII punctuation next to it is blank by then, and no keyword has one.
    foreign = encoded.translate(None, ASCII_BYTES).decode(errors="surrogatepass")
    lowered = foreign.lower()
    if lowered != foreign:
        spaced = spaced.lower()
    if not lowered.isalnum():
        # The few distinct characters that are not alphanumeric ("–", "•", a combining dot) become
        # spaces: a replace per character is far cheaper than a regex match per word.
        for char in set(lowered):
            if not char.isalnum():
                spaced = spaced.replace(char, " ")
    return spaced


def _plurals(phrase: str) -> tuple[str, ...]:
    """``phrase`` and its plural, by the usual English endings ("city" -> "cities", "bus" -> "buses")."""
    last = phrase.rsplit(" ", 1)[-1]
    if not last.isalpha() or len(last) < 2:
        return (phrase,)
    if last.endswith("y") and last[-2] not in "aeiou":
        return phrase, phrase[:-1] + "ies"
    if last.endswith(("s", "x", "ch", "sh")):
        return phrase, phrase + "es"
    return phrase, phrase + "s"


def _phrase_table() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Token-joined phrase (and plural) -> (the keyword as listed, the topic ids it counts for)."""
    table: dict[str, tuple[str, tuple[str, ...]]] = {}
    for topic in TOPICS:
        for keyword in topic.keywords:
            for form in _plurals(" ".join(_spaced_tokens(keyword).split())):
                listed, ids = table.get(form, (keyword, ()))
                if topic.id not in ids:
                    table[form] = (listed, (*ids, topic.id))
    return table


PHRASE_TOPICS: Final[dict[str, tuple[str, tuple[str, ...]]]] = _phrase_table()
PHRASE_TOPIC_IDS: Final[dict[str, tuple[str, ...]]] = {phrase: ids for phrase, (_, ids) in PHRASE_TOPICS.items()}


def _trie(phrases: Iterable[str]) -> str:
    """An alternation of ``phrases`` as a trie of their characters, longest match first.

    A trie tests each next character once, where a flat alternation tests it once per phrase. A
    phrase ends only where its word does: where one phrase is the start of another, the longer one is
    tried first, and the shorter matches only when the longer fails.
    """
    by_first: dict[str, list[str]] = {}
    for phrase in sorted(phrases):
        by_first.setdefault(phrase[:1], []).append(phrase[1:])
    branches = [_character(first) + _trie(rests) for first, rests in by_first.items() if first]
    if "" in by_first:
        branches.append(r"(?!\S)")
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


def _character(char: str) -> str:
    """``char`` as a pattern; a space stands for the run of spaces that punctuation leaves between words."""
    return " +" if char == " " else re.escape(char)


# A space, then any phrase of PHRASE_TOPICS, in text reduced to its words separated by spaces (see
# _spaced_tokens). Opening with a literal space lets the scan jump from word start to word start in
# C, and at each the trie gives up at the first character no phrase continues with; a match's end
# skips the word starts inside it.
PHRASE: Final = re.compile(f" ({_trie(PHRASE_TOPICS)})")


def explain_topics(text: str) -> dict[str, list[str]]:
    """The evidence for each topic found in ``text``.

    Args:
        text: free text, typically an event's name and description.

    Returns:
        Topic id -> the distinct keywords (as listed in :data:`TAXONOMY`) that matched, in order of
        first appearance; topics in order of first evidence.
    """
    evidence: dict[str, list[str]] = {}
    for phrase in _phrases(text):
        keyword, topic_ids = PHRASE_TOPICS[phrase]
        for topic_id in topic_ids:
            phrases = evidence.setdefault(topic_id, [])
            if keyword not in phrases:
                phrases.append(keyword)
    return evidence


def classify_topics(text: str, *, min_hits: int = 1) -> list[str]:
    """The topics of ``text``, most relevant first.

    Args:
        text: free text, typically an event's name and description.
        min_hits: the fewest keyword occurrences a topic needs to be returned.

    Returns:
        Topic ids ordered by the number of keyword occurrences (ties: first evidence first).
    """
    hits: dict[str, int] = {}
    for phrase in _phrases(text):
        for topic_id in PHRASE_TOPIC_IDS[phrase]:
            hits[topic_id] = hits.get(topic_id, 0) + 1
    # A dict keeps first-insertion order, and sorted() is stable (reversed too), so ties stay in order
    # of evidence.
    ranked = sorted(hits, key=hits.__getitem__, reverse=True)
    # Every topic found has a hit: only a higher floor leaves any out.
    return ranked if min_hits <= 1 else [topic_id for topic_id in ranked if hits[topic_id] >= min_hits]


def _phrases(text: str) -> list[str]:
    """Every keyword occurrence, longest phrase first at each word, as its key in PHRASE_TOPICS."""
    found = PHRASE.findall(_spaced_tokens(text))
    # A phrase read across punctuation has more than one space between two of its words (and no phrase
    # starts or ends with a space); one join and search is cheaper than a lookup per phrase.
    return [" ".join(p.split()) for p in found] if "  " in "".join(found) else found
