"""Where later parts plug in: notifications and letters, each a registry of callables.

- ``case_notifiers``: ``notifier(event: CaseEvent) -> None``. The notifications app registers
  one per channel; ``tasks.notify_case_event`` calls each after the transition commits. With
  none registered the task logs that nothing was sent.
- ``letter_builders``: ``builder(case: Case, letter_kind: str, documents) -> IssuedDocument``,
  where ``documents`` is ``tongban.documents.services``; the builder lays the letter out and
  calls ``documents.issue_document``. ``tasks.issue_case_letter`` calls the one registered for
  the kind (``constants.LetterKind``).
"""

from tongban.core.registries import Registry

case_notifiers: Registry = Registry("case notifier")
letter_builders: Registry = Registry("case letter builder")
