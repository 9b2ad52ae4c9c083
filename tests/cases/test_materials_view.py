"""The reviewer sees the current file of each material; earlier rounds fold away; the same
file uploaded again shows once, counted; staff appear by name and role."""

from types import SimpleNamespace

from django.urls import reverse

from tests.accounts.signin_helpers import sign_in_staff
from tongban.accounts import services as accounts
from tongban.cases import services
from tongban.cases.views.materials_view import materials_for_review

from .conftest import submitted_case


def file(pk, requirement, round_, sha, name="doc.pdf"):
    return SimpleNamespace(
        pk=pk,
        requirement_id=requirement.pk if requirement else None,
        requirement=requirement,
        supplement_round=round_,
        sha256=sha,
        original_name=name,
    )


def test_current_files_per_material_with_earlier_rounds_folded_and_copies_counted():
    passport = SimpleNamespace(pk=1, position=1, name="Passport")
    contract = SimpleNamespace(pk=2, position=2, name="Contract")
    files = [
        file(1, passport, 0, "aaa"),
        file(2, passport, 0, "aaa"),
        file(3, passport, 0, "aaa"),
        file(4, passport, 0, "aaa"),
        file(5, contract, 0, "bbb"),
        file(6, contract, 1, "ccc", "contract-signed.pdf"),
        file(7, contract, 1, "ddd", "contract-page2.pdf"),
        file(8, None, 0, "eee", "note.pdf"),
    ]
    groups = materials_for_review(files)
    assert [g.requirement.name if g.requirement else None for g in groups] == [
        "Passport",
        "Contract",
        None,
    ]
    passport_group, contract_group, other = groups
    assert [(line.attachment.pk, line.copies) for line in passport_group.current] == [(4, 4)]
    assert passport_group.earlier == []
    assert [line.attachment.original_name for line in contract_group.current] == [
        "contract-signed.pdf",
        "contract-page2.pdf",
    ]
    assert [line.attachment.pk for line in contract_group.earlier] == [5]
    assert contract_group.round == 1 and [line.attachment.pk for line in other.current] == [8]


def test_the_reviewer_page_marks_the_current_file_and_names_staff(client, world):
    w = world
    w.reviewer.first_name, w.reviewer.last_name = "詠詩", "何"
    w.reviewer.save()
    case = submitted_case(w)
    services.accept(w.reviewer, case.number)
    sign_in_staff(client, w.supervisor)
    page = client.get(
        reverse("cases:staff_case", args=[case.number]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "current" in page
    assert "何詠詩 · " in page and w.reviewer.email not in page


def test_staff_labels_read_name_and_role_never_the_email(world):
    w = world
    w.reviewer.first_name, w.reviewer.last_name = "Ana", "Lopes"
    w.reviewer.save()
    label = accounts.staff_label(w.reviewer)
    assert label.startswith("Ana Lopes · ") and w.housing.name in label
    assert "@" not in accounts.staff_label(w.supervisor)
