"""License keys: format, normalisation, the check character, prefix, hash."""

from __future__ import annotations

import re

import pytest

from license.keys import (ALPHABET, KeyFormatError, generate_key, hash_key, hash_key_and_prefix,
                          is_valid_key, key_prefix, parse_key)

FORMAT = re.compile(r"JDK(-[0-9A-HJKMNP-TV-Z]{5}){5}")
SECRET = b"s" * 32


@pytest.fixture(scope="module")
def keys() -> list[str]:
    return [generate_key() for _ in range(200)]


def test_generated_keys_have_the_format_and_parse_to_themselves(keys: list[str]) -> None:
    for key in keys:
        assert FORMAT.fullmatch(key), key
        assert parse_key(key) == key
    assert len(set(keys)) == len(keys)


def test_generated_keys_use_the_whole_alphabet(keys: list[str]) -> None:
    seen = set("".join(key[4:].replace("-", "") for key in keys))
    assert seen == set(ALPHABET)  # 200 keys x 25 symbols: each symbol shows up


@pytest.mark.parametrize("typed", [
    "{k}",
    "{lower}",
    "{bare}",  # no prefix, no dashes
    "  {spaced}  ",
    "jdk {spaced}",
    "{endash}",  # a word processor turned the dashes into en dashes
    "{fullwidth}",  # typed with a CJK input method
])
def test_what_people_type_normalises_to_the_key(typed: str, keys: list[str]) -> None:
    key = keys[0]
    bare = key[4:].replace("-", "")
    variants = dict(
        k=key, lower=key.lower(), bare=bare,
        spaced=" ".join(bare[i:i + 5] for i in range(0, 25, 5)),
        endash=key.replace("-", "\u2013"),
        fullwidth="".join(chr(ord(c) + 0xFEE0) if c != "-" else "\uff0d" for c in key),
    )
    assert parse_key(typed.format(**variants)) == key


def test_look_alike_letters_read_as_digits() -> None:
    key = next(k for k in iter(generate_key, None) if "0" in k[4:] and "1" in k[4:])
    typed = key.replace("0", "o").replace("1", "I", 1).replace("1", "l")
    assert typed != key
    assert parse_key(typed) == key


def test_u_is_refused_with_its_own_hint(keys: list[str]) -> None:
    typed = keys[0][:6] + "U" + keys[0][7:]
    with pytest.raises(KeyFormatError, match="U is never used") as caught:
        parse_key(typed)
    assert caught.value.code == "character"


def test_every_single_mistyped_character_is_caught(keys: list[str]) -> None:
    for key in keys[:5]:
        symbols = key[4:].replace("-", "")
        for position in range(len(symbols)):
            for replacement in ALPHABET:
                if replacement == symbols[position]:
                    continue
                typed = symbols[:position] + replacement + symbols[position + 1:]
                with pytest.raises(KeyFormatError) as caught:
                    parse_key(typed)
                assert caught.value.code == "check"


def test_every_swap_of_neighbouring_characters_is_caught(keys: list[str]) -> None:
    for key in keys:
        symbols = key[4:].replace("-", "")
        for i in range(len(symbols) - 2):  # the data symbols; the check is covered above
            if symbols[i] == symbols[i + 1]:
                continue
            typed = symbols[:i] + symbols[i + 1] + symbols[i] + symbols[i + 2:]
            assert not is_valid_key(typed), (key, i)


@pytest.mark.parametrize(("typed", "code"), [
    ("", "empty"), ("  - -  ", "empty"), (None, "empty"),
    ("JDK-ABCDE", "length"), ("JDK-" + "A" * 26, "length"),
    ("JDK-ABCDE-ABCDE-ABCDE-ABCDE-ABCD!", "character"),
])
def test_malformed_input_gets_a_code(typed, code: str) -> None:
    with pytest.raises(KeyFormatError) as caught:
        parse_key(typed)
    assert caught.value.code == code


def test_error_messages_never_repeat_the_key(keys: list[str]) -> None:
    key = keys[1]
    broken = key[:-1] + ("0" if key[-1] != "0" else "1")
    with pytest.raises(KeyFormatError) as caught:
        parse_key(broken)
    assert key[4:9] not in str(caught.value) and broken[4:] not in str(caught.value)


def test_key_prefix_shows_the_first_group_only(keys: list[str]) -> None:
    key = keys[2]
    assert key_prefix(key.lower()) == key[:9]
    assert key_prefix(key[:-1] + "U") == "JDK-?????"  # unparsable: never echo the input
    assert key[4:9] not in key_prefix(key[:-1] + "U")


def test_key_hash_is_keyed_canonical_and_hides_the_key(keys: list[str]) -> None:
    key = keys[3]
    digest = hash_key(key, SECRET)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert hash_key(key.lower().replace("-", " "), SECRET) == digest
    assert hash_key(key, b"t" * 32) != digest
    assert hash_key(keys[4], SECRET) != digest
    with pytest.raises(ValueError, match="32"):
        hash_key(key, b"short")
    with pytest.raises(KeyFormatError):
        hash_key("JDK-nope", SECRET)


def test_key_hashes_never_change() -> None:
    """The service stores only these hashes: a different digest for the same
    key and secret would lock every customer out."""
    key = "JDK-1RQ7B-BDR1E-TNFM5-64HEG-YRFNG"
    pinned = "39e8d736d058eddacdb24c2bb800896e96eca946689302577201a7230c2d8734"
    assert hash_key(key, SECRET) == pinned
    assert hash_key_and_prefix("jdk 1rq7b bdr1e tnfm5 64heg yrfng", SECRET) == (pinned, "JDK-1RQ7B")
    with pytest.raises(ValueError, match="32"):
        hash_key_and_prefix(key, b"short")
    with pytest.raises(KeyFormatError):
        hash_key_and_prefix(key[:-1] + "U", SECRET)
