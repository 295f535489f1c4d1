"""Model backends for the AI critic. Pure of the ORM; torch and transformers are imported only
inside the modules that need them, so the web process starts fast."""
