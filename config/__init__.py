"""The project's top: the root URLs and the demo loader, which gather every app (so they sit
above all of them, and cai_audit, at the bottom, imports none)."""
