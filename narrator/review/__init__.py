"""Reviewing a finished book: the review page, and the fixes a person makes by ear.

``narrate redo`` and ``narrate accept`` record their decision in the book's
``fixes.json`` (:mod:`narrator.review.fixes`) and then run the ordinary flow, whose
content-addressed store re-makes only what the decision changed.
"""
