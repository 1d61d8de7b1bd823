"""The task that writes a finished book's review page."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from narrator.review.book import review_book

review_book_task = task(
    review_book, name="review-book", task_run_name="review page", cache_policy=NO_CACHE
)
