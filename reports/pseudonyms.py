"""Stable pseudonymous ids for the donor's exports: a keyed HMAC-SHA256 of the application id.

The same application always gets the same id, in every export and every call, as long as
`settings.REPORTS_PSEUDONYM_KEY` stays the same; without the key the id cannot be traced back or
recomputed from the application id (which is small and guessable, so a plain hash would not do).
"""

import base64
import hashlib
import hmac

PREFIX = "P-"
LENGTH = 12


def pseudonym(application_id: int, *, key: str) -> str:
    """`P-` and 12 base32 characters (60 bits): no collision in a programme of millions of applications
    is to be expected, and the id reads well in a spreadsheet."""
    digest = hmac.new(key.encode(), f"application:{int(application_id)}".encode(), hashlib.sha256).digest()
    return PREFIX + base64.b32encode(digest).decode("ascii")[:LENGTH]
