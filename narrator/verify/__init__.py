"""Round-trip verification: transcribe synthesized audio and score it against its text."""
