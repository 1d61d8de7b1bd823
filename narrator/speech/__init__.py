"""Speech engines: text in, PCM audio out."""
