"""Why a file could not be read or written, in Danish: the operating system's own words
(``exc.strerror``) follow the machine's locale, English on most servers."""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "findes ikke",
    errno.EACCES: "ingen adgang",
    errno.EPERM: "ikke tilladt",
    errno.EISDIR: "er en mappe",
    errno.ENOTDIR: "en del af stien er ikke en mappe",
    errno.EEXIST: "findes allerede",
    errno.ENOSPC: "ingen plads tilbage på disken",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.ENAMETOOLONG: "navnet er for langt",
    errno.ELOOP: "for mange symbolske links",
    errno.EIO: "fejl ved læsning eller skrivning på disken",
}


def os_reason(exc: OSError) -> str:
    """``exc``'s reason in Danish where it is a common one, else the system's words."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
