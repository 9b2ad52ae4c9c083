"""Background work of ratings: reminding owners of follow-ups that are due (run daily)."""

from django_tasks import task


@task()
def remind_rating_followups() -> int:
    """Owners of bad-rating follow-ups due by the next working day are told, once a day."""
    from .rating_followups import remind_due

    return remind_due()
