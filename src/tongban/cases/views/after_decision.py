"""Rating (好差评) and the delivery choice on the applicant's case page.

Both come from the ratings part of ``cases.services``; until it is installed the case page
simply has no such section.
"""

from __future__ import annotations


def context(request, case) -> dict:
    return {}
