"""Passwords and tokens: what is kept of them is never enough to sign in with.

A password is kept as an scrypt hash with a random salt of its own (memory-hard, from the standard
library). A token is 32 random bytes; only its SHA-256 digest is kept, which is enough for a secret
that nobody chose and nobody can guess.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from refuge.domain.errors import InvalidInput

#: scrypt's cost: 16 MiB of memory and some 50 ms a hash, for a password checked once a sign-in.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 8
TOKEN_PREFIX = "rfg_"


def check_password(password: str) -> str:
    """A password long enough to keep, or an error saying what it needs."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters")
    return password


def hash_password(password: str, salt: bytes | None = None) -> str:
    """`scrypt$N$r$p$salt$hash`, both in base64: the only form in which a password is stored."""
    salt = salt or secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether `password` is the one `stored` was made from. Without a stored hash the same work is
    still done, so the time taken does not tell whether the handle has a password."""
    try:
        scheme, n, r, p, salt, digest = (stored or "").split("$")
        if scheme != "scrypt":
            raise ValueError(scheme)
        params, salt_bytes, expected = (int(n), int(r), int(p)), _unb64(salt), _unb64(digest)
    except ValueError:
        _scrypt(password, b"no password here", SCRYPT_N, SCRYPT_R, SCRYPT_P)
        return False
    return hmac.compare_digest(_scrypt(password, salt_bytes, *params), expected)


def new_token() -> tuple[str, str]:
    """A fresh token and the digest to keep of it; the token itself is shown once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.strip().encode()).hexdigest()


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode(), validate=True)
    except (ValueError, TypeError):
        raise ValueError("not base64") from None
