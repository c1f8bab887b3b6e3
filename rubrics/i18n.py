"""gettext for the scoring hot path: a score() says ~100 sentences; look each up once.

Django's gettext costs two context-local lookups per call, half of a score() on this machine;
the cache is keyed by the active language so a change of language is still honoured.
"""

from __future__ import annotations

import functools

from django.utils.translation import get_language
from django.utils.translation import gettext as django_gettext


@functools.lru_cache(maxsize=4096)
def _translated(language: str | None, message: str) -> str:
    return django_gettext(message)


def gettext(message: str) -> str:
    return _translated(get_language(), message)
