"""What issued documents (award letters, handover acts) share: telling a real correction from a repeat.

A correction of an issued document is a new version; a request that would issue a version stating exactly
what the latest one states (a double click, a retried form, a page reloaded after a POST) is a repeat, and
makes no new row and no new file.
"""


def states_the_same(stated: dict, new: dict, *, ignoring: frozenset[str]) -> bool:
    """True when two documents' figures (their stored JSON) differ only in the fields `ignoring` names:
    the version, the date, a verification code, what a new version changes by itself."""
    keys = (stated.keys() | new.keys()) - ignoring
    return all(stated.get(key) == new.get(key) for key in keys)
