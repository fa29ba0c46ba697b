"""The text pipeline for informal Indonesian: normalise, tokenise, drop function words, stem.

Complaints arrive as chat-style Indonesian: "sdh 3 bln blm cair bansos nya pakkk, tolongggg". The
pipeline lower-cases, collapses stretched letters, expands reduplication ("anak2"), maps common
abbreviations and slang to their standard form, removes a curated list of function words and stems
with PySastrawi (cached: the same few thousand words recur in every report).

The stopword list is our own. Every published Indonesian list (Sastrawi's, stopwords-iso, stop-words)
drops the negations tidak, belum, bukan and jangan, and "bantuan belum cair" versus "bantuan sudah
cair" is exactly the difference a complaint router must keep.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

__all__ = [
    "NEGATIONS",
    "SLANG",
    "STOPWORDS",
    "analyze",
    "normalize",
    "VocabularyStems",
    "stem",
    "stem_table",
    "tokens",
]

NEGATIONS = frozenset({"tidak", "belum", "bukan", "jangan", "tanpa"})

# Abbreviations and slang -> standard Indonesian. Values may be several words ("mksh" -> "terima kasih").
SLANG: dict[str, str] = {
    "yg": "yang",
    "yng": "yang",
    "tdk": "tidak",
    "tdak": "tidak",
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "g": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "kagak": "tidak",
    "tak": "tidak",
    "blm": "belum",
    "blum": "belum",
    "lom": "belum",
    "sdh": "sudah",
    "sudh": "sudah",
    "udh": "sudah",
    "udah": "sudah",
    "dah": "sudah",
    "kalo": "kalau",
    "klo": "kalau",
    "klu": "kalau",
    "mksh": "terima kasih",
    "makasih": "terima kasih",
    "makasi": "terima kasih",
    "trims": "terima kasih",
    "trimakasih": "terima kasih",
    "terimakasih": "terima kasih",
    "tks": "terima kasih",
    "thx": "terima kasih",
    "krn": "karena",
    "karna": "karena",
    "krna": "karena",
    "dgn": "dengan",
    "dg": "dengan",
    "utk": "untuk",
    "untk": "untuk",
    "unt": "untuk",
    "sy": "saya",
    "sya": "saya",
    "aku": "saya",
    "gue": "saya",
    "gw": "saya",
    "tp": "tapi",
    "tpi": "tapi",
    "jg": "juga",
    "bgt": "banget",
    "aja": "saja",
    "aj": "saja",
    "gmn": "bagaimana",
    "gimana": "bagaimana",
    "bgmn": "bagaimana",
    "knp": "kenapa",
    "napa": "kenapa",
    "dr": "dari",
    "dri": "dari",
    "dlm": "dalam",
    "sm": "sama",
    "org": "orang",
    "lg": "lagi",
    "bs": "bisa",
    "tlg": "tolong",
    "tolongin": "tolong",
    "mhn": "mohon",
    "hrs": "harus",
    "msh": "masih",
    "masi": "masih",
    "sblm": "sebelum",
    "stlh": "setelah",
    "skrg": "sekarang",
    "skg": "sekarang",
    "byk": "banyak",
    "bnyk": "banyak",
    "bln": "bulan",
    "thn": "tahun",
    "th": "tahun",
    "hr": "hari",
    "jln": "jalan",
    "jl": "jalan",
    "kel": "kelurahan",
    "kec": "kecamatan",
    "kab": "kabupaten",
    "prov": "provinsi",
    "tsb": "tersebut",
    "bnr": "benar",
    "trs": "terus",
    "sampe": "sampai",
    "nyampe": "sampai",
    "emg": "memang",
    "emang": "memang",
    "kyk": "seperti",
    "kayak": "seperti",
    "bbrp": "beberapa",
    "mnt": "minta",
    "dpt": "dapat",
    "dapet": "dapat",
    "krg": "kurang",
    "pd": "pada",
    "spt": "seperti",
    "sgt": "sangat",
    "bpk": "bapak",
    "ortu": "orang tua",
    "sdr": "saudara",
    "kmrn": "kemarin",
    "kemaren": "kemarin",
    "bener": "benar",
    "ngurus": "urus",
    "ngurusin": "urus",
    "nunggu": "tunggu",
    "nungguin": "tunggu",
    "ngantri": "antri",
    "maf": "maaf",
    "mf": "maaf",
    "min": "admin",
    "mimin": "admin",
    "hp": "handphone",
    "no": "nomor",
    "nmr": "nomor",
    "rek": "rekening",
    "dll": "",
    "dsb": "",
    "dst": "",
    "wr": "",
    "wb": "",
    "wrwb": "",
}

# Function words with no routing signal. Curated by hand: negations (NEGATIONS) are never here.
STOPWORDS = frozenset(
    """
    yang dan di ke dari ini itu untuk dengan pada dalam atau juga karena saya kami kita anda ia dia
    mereka beliau ada akan adalah ialah merupakan sudah telah sedang oleh sebagai agar supaya lalu
    kemudian namun tetapi tapi jadi maka bahwa para pun lah kah nya sangat lebih hanya saja sama secara
    hingga sampai seperti setelah sebelum saat ketika apa apakah bagaimana mengapa kenapa kapan mana
    siapa tersebut mohon tolong terima kasih bapak ibu pak bu selamat pagi siang sore malam salam
    assalamualaikum waalaikumsalam admin yth hormat dengan demikian sehingga serta bagi tentang
    terhadap antara setiap semua begitu sini situ sana tsb hal bisa dapat mau ingin bila jika kalau
    banget sekali kok dong deh sih ya yah nah loh lho kan toh pula sendiri masing atas bawah per
    saudara kak kakak mas mbak bang
    """.split()
)
assert not STOPWORDS & NEGATIONS  # nosec B101  # import-time check of constants

_URL = re.compile(r"(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_MASK = re.compile(r"\[(NOMOR-ID|TELEPON|EMAIL)\]", re.IGNORECASE)
_REDUP = re.compile(r"\b([a-z]{2,})2\b")  # "anak2" -> "anak anak"
_STRETCH = re.compile(r"([a-z])\1{2,}")  # "tolonggg" -> "tolong"
_FINAL_DOUBLE = re.compile(
    r"([b-df-hj-np-tv-z])\1\b"
)  # "pakk" -> "pak" (words never end in a double consonant)
_TOKEN = re.compile(r"[a-z]+|\d+")


def normalize(text: str) -> str:
    """Lower-case standard Indonesian: stretched letters collapsed, reduplication and slang expanded,
    URLs, e-mail addresses and masked ID numbers replaced by placeholder words."""
    text = _MASK.sub(lambda m: " " + m.group(1).lower().replace("-", "") + " ", text)
    text = text.lower()
    text = _URL.sub(" tautan ", text)
    text = _EMAIL.sub(" email ", text)
    text = _REDUP.sub(r"\1 \1", text)
    text = _STRETCH.sub(r"\1", text)
    text = _FINAL_DOUBLE.sub(r"\1", text)
    words = []
    for word in _TOKEN.findall(text):
        if word.isdigit():
            continue  # amounts, dates and ids say nothing about who should act
        mapped = SLANG.get(word, word)
        if mapped:
            words.append(mapped)
    return " ".join(words)


def tokens(text: str, *, normalized: str | None = None) -> list[str]:
    """Normalised words without function words (negations kept). Pass `normalized` when the caller
    already has `normalize(text)`, to skip doing it twice."""
    words = (normalize(text) if normalized is None else normalized).split()
    return [w for w in words if w not in STOPWORDS and len(w) > 1]


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The root of one word ("penyaluran" -> "salur"); cached, since Sastrawi costs ~0.1 ms a word."""
    if len(word) <= 3 or word in NEGATIONS:
        return word
    return str(_stemmer().stem(word)) or word


def analyze(
    text: str, *, normalized: str | None = None, stems: Mapping[str, str] | VocabularyStems | None = None
) -> str:
    """The classifier's view of a text: normalised, function words dropped, stemmed, space-joined.
    `stems` is a table of known words (a trained model's vocabulary) consulted before Sastrawi."""
    words = tokens(text, normalized=normalized)
    if stems is None:
        return " ".join(stem(w) for w in words)
    return " ".join(stems.get(w) or stem(w) for w in words)


def stem_table(texts: Iterable[str]) -> dict[str, str]:
    """word -> stem for every word of `texts`: saved with a model, so that a freshly started process
    does not pay Sastrawi's ~0.1 ms a word for the vocabulary it was trained on."""
    table: dict[str, str] = {}
    for text in texts:
        for word in tokens(text):
            if word not in table:
                table[word] = stem(word)
    return table


# Sastrawi strips suffixes in the order root + derivational + possessive + particle, each optional.
_SUFFIXES = frozenset(
    d + p + q
    for d in ("", "i", "kan", "an")
    for p in ("", "ku", "mu", "nya")
    for q in ("", "lah", "kah", "tah", "pun")
)
_MAX_PREFIX = 12  # at most three prefixes ("memper", "ke", ...) and the root's recoded first letter


class VocabularyStems:
    """Stems as a trained model needs them: its stem table first; then Sastrawi, but only when the
    result could be one of the model's words.

    Sastrawi returns either the word itself or a dictionary root whose letters after the first (which
    prefixes may recode: "menyapu" -> "sapu") are in the word, followed only by suffixes. A word with
    no such piece of any vocabulary term can only stem to a root the model ignores, or to itself: both
    give the same features as the word itself, so Sastrawi (~0.1-0.5 ms a word for names, places and
    typos) is skipped without changing a single number."""

    def __init__(self, table: Mapping[str, str], vocabulary: Iterable[str]) -> None:
        self.table = table
        self.words = frozenset(vocabulary)
        self.pieces = frozenset(word[1:] for word in self.words if len(word) > 1)

    def _may_stem_into_vocabulary(self, word: str) -> bool:
        if word in self.words:
            return True  # the stem may differ from the word itself: ask Sastrawi
        pieces = self.pieces
        for suffix in _SUFFIXES:
            if word.endswith(suffix):
                core = word[: len(word) - len(suffix)]
                if any(core[i:] in pieces for i in range(min(len(core), _MAX_PREFIX + 1))):
                    return True
        return False

    def get(self, word: str, default: str | None = None) -> str:
        known = self.table.get(word)
        if known is not None:
            return known
        if len(word) <= 3 or word in NEGATIONS or not self._may_stem_into_vocabulary(word):
            return word
        return stem(word)
