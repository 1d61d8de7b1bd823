"""Text: manuscripts to chapters, sentences and chunks."""
