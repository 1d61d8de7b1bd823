"""The ``narrate`` command line, the top layer: it may import ``flows``, ``tasks`` and
``narrator``, and nothing imports it (``.importlinter`` holds the rule)."""
