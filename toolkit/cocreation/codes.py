"""Invite tokens and receipt codes: random, shown once, stored only as hashes.

An invite token carries 192 bits (`secrets.token_urlsafe(24)`); only its SHA-256 is stored, so a copy
of the database does not give anybody a working link. Receipt codes are short enough to write down
(12 characters from an alphabet without look-alikes, about 60 bits); as that is too little to survive
an offline guess against a plain hash, they are stored as an HMAC keyed with the SECRET_KEY.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

TOKEN_BYTES = 24  # 192 bits; the issue asks for at least 128
# Crockford-like alphabet: no 0/O, 1/I/L, U, so a code read aloud or handwritten survives.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 12
RECEIPT_GROUP = 4


def token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(token_hash(token), stored_hash)


def receipt_new() -> str:
    """A code like "K7QX-M2PD-9RTA": easy to read aloud, copy and type on a phone."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(raw[i : i + RECEIPT_GROUP] for i in range(0, RECEIPT_LENGTH, RECEIPT_GROUP))


def receipt_normalise(code: str) -> str:
    """Accept what people type: lower case, with spaces, with or without dashes."""
    cleaned = "".join(c for c in (code or "").upper() if c.isascii() and c.isalnum())
    return "-".join(cleaned[i : i + RECEIPT_GROUP] for i in range(0, len(cleaned), RECEIPT_GROUP))


def receipt_hash(code: str) -> str:
    normalised = receipt_normalise(code)
    key = ("sempre.cocreation.receipt:" + settings.SECRET_KEY).encode("utf-8")
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()
