"""License keys: ``JDK-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX``.

Twenty-four random Crockford base32 symbols (120 bits) and one check symbol.
The check is Crockford's: the key's value modulo 37, which catches every single
mistyped symbol and every swap of two neighbours before any network call.
Keys are drawn so that the check value is below 32: the check is then an
ordinary symbol, never one of Crockford's ``*~$=U`` extras that break
double-click selection and phone keyboards (README: "License keys").

A key is a bearer secret: log :func:`key_prefix` at most, and store
:func:`hash_key` on the service, never the key.
"""

from __future__ import annotations

import hmac
import re
import secrets
import unicodedata

__all__ = ["ALPHABET", "KeyFormatError", "generate_key", "parse_key", "is_valid_key",
           "key_prefix", "hash_key", "hash_key_and_prefix", "KEY_HASH_VERSION"]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
# What people type for what they see: Crockford's decoding rules.
_LOOK_ALIKE = {"O": "0", "I": "1", "L": "1"}
PREFIX = "JDK"
DATA_SYMBOLS = 24
SYMBOLS = DATA_SYMBOLS + 1  # with the check symbol
GROUP = 5
KEY_HASH_VERSION = 1
_HASH_DOMAIN = b"jobdeck.license-key.v1\x00"
_REDACTED = f"{PREFIX}-?????"
_PREFIX_LENGTH = len(PREFIX) + 1 + GROUP  # "JDK-ABCDE"


class KeyFormatError(ValueError):
    """A typed key is not a license key. ``code`` is stable (for the UI's
    catalog); the message never repeats the key, which is a secret."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


_DISPLAY_FORM = re.compile(rf"{PREFIX}(?:-[{ALPHABET}]{{{GROUP}}}){{{SYMBOLS // GROUP}}}")


def _check_value(data: str) -> int:
    value = 0
    for symbol in data:
        value = value * 32 + _VALUE[symbol]
    return value % 37


def _format(symbols: str) -> str:
    groups = [symbols[i:i + GROUP] for i in range(0, len(symbols), GROUP)]
    return "-".join([PREFIX, *groups])


def generate_key() -> str:
    """A new key from the operating system's CSPRNG, in its display form."""
    while True:
        data = "".join(secrets.choice(ALPHABET) for _ in range(DATA_SYMBOLS))
        check = _check_value(data)
        if check < 32:  # keep the check inside the 32-symbol alphabet
            return _format(data + ALPHABET[check])


def _is_separator(char: str) -> bool:
    # Spaces of every kind, and every dash a word processor substitutes for "-".
    return char.isspace() or unicodedata.category(char) == "Pd" or char == "_"


def _symbols(text: str) -> str:
    if not isinstance(text, str):
        raise KeyFormatError("empty", "Enter a license key.")
    # NFKC folds full-width letters (typed with CJK input methods) to ASCII.
    folded = unicodedata.normalize("NFKC", text).upper()
    compact = "".join(char for char in folded if not _is_separator(char))
    if not compact:
        raise KeyFormatError("empty", "Enter a license key.")
    if compact.startswith(PREFIX) and len(compact) == len(PREFIX) + SYMBOLS:
        compact = compact[len(PREFIX):]
    if len(compact) != SYMBOLS:
        raise KeyFormatError(
            "length", f"A license key has {SYMBOLS} characters after {PREFIX}-; "
                      f"this one has {len(compact)}. Check for a missing or extra character.")
    out = []
    for position, char in enumerate(compact, start=1):
        char = _LOOK_ALIKE.get(char, char)
        if char not in _VALUE:
            hint = " (U is never used in keys)" if char == "U" else ""
            shown = char if char.isprintable() and char.isascii() else "an unexpected character"
            raise KeyFormatError("character",
                                 f"Character {position} is {shown}{hint}, which license keys never contain.")
        out.append(char)
    return "".join(out)


def parse_key(text: str) -> str:
    """Normalise what a person typed and check it; return the display form.

    Accepts any case, missing or extra dashes and spaces, the ``JDK`` prefix
    or none, full-width characters, and O/I/L for 0/1/1. Raises
    :class:`KeyFormatError` with ``code`` ``empty``, ``length``,
    ``character`` or ``check``.
    """
    if isinstance(text, str) and _DISPLAY_FORM.fullmatch(text):
        # Already as issued (what the app sends): skip the normalising, keep the check.
        symbols = text.replace("-", "")[len(PREFIX):]
    else:
        symbols = _symbols(text)
    check = _check_value(symbols[:-1])
    if check >= 32 or ALPHABET[check] != symbols[-1]:  # no key is issued with a check >= 32
        raise KeyFormatError("check", "This key has a typing mistake: one character is wrong or two "
                                      "are swapped. Compare it with the key you received.")
    return _format(symbols)


def is_valid_key(text: str) -> bool:
    try:
        parse_key(text)
    except KeyFormatError:
        return False
    return True


def key_prefix(key: str) -> str:
    """The first group (``JDK-ABCDE``, 25 of 120 bits): what logs and support
    may see. An unparsable input gives a fixed placeholder, never the input."""
    try:
        return parse_key(key)[:_PREFIX_LENGTH]
    except KeyFormatError:
        return _REDACTED


def hash_key(key: str, secret: bytes) -> str:
    """HMAC-SHA256 of the canonical key under the service's secret (hex).

    Canonical first, so every way of typing one key gives one hash; a
    domain prefix keeps this hash apart from any other use of the secret.
    """
    _check_secret(secret)
    return _hash_canonical(parse_key(key), secret)


def hash_key_and_prefix(key: str, secret: bytes) -> tuple[str, str]:
    """:func:`hash_key` and :func:`key_prefix` of one key, parsed once (the
    service needs both for every request)."""
    _check_secret(secret)
    canonical = parse_key(key)
    return _hash_canonical(canonical, secret), canonical[:_PREFIX_LENGTH]


def _check_secret(secret: bytes) -> None:
    if not isinstance(secret, bytes) or len(secret) < 32:
        raise ValueError("the key-hash secret must be at least 32 random bytes")


def _hash_canonical(canonical: str, secret: bytes) -> str:
    return hmac.digest(secret, _HASH_DOMAIN + canonical.encode("ascii"), "sha256").hex()
