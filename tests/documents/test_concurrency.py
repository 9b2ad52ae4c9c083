"""Issuing and revoking at the same moment on PostgreSQL: numbers never repeat, one revocation."""

import threading

import pytest
from django.db import connection, connections

from tongban.documents import services
from tongban.documents.models import IssuedDocument

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
)
pytestmark = [on_postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _key_ring_loaded_once():
    # Load the key ring before the threads race to build it, from this test's settings.
    from tongban.documents import keys

    keys.key_ring.cache_clear()
    keys.key_ring()


def run_together(work, count: int) -> list:
    results, errors = [], []
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results.append(work(index))
        except Exception as error:  # noqa: BLE001 — reported to the test thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_concurrent_issuers_get_distinct_consecutive_numbers(issue):
    results, errors = run_together(lambda index: issue().number, 6)
    assert errors == []
    numbers = sorted(results)
    assert len(set(numbers)) == 6
    assert [int(number.rsplit("-", 1)[1]) for number in numbers] == list(range(1, 7))
    assert IssuedDocument.objects.values("verification_code").distinct().count() == 6


def test_two_officers_revoking_at_once_revoke_once(issue):
    document = issue()
    results, errors = run_together(
        lambda index: services.revoke(document, f"reason {index}", f"staff:{index}"), 2
    )
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], services.DocumentError)
    document.refresh_from_db()
    assert document.revoked_by == results[0].revoked_by
