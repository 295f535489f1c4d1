"""Events the constitutions app announces, so that higher apps can react without this app
importing them (redteam re-runs its regression suites, for one).

Both are sent inside the service's transaction, after the change and its audit event are written:
a receiver's own writes commit or roll back with the publish (or the tag), and a receiver that
queues work should do so on commit. An exception in a receiver undoes the publish, so a receiver
that must never block it catches its own errors.
"""

from django.dispatch import Signal

# sender: ConstitutionVersion; kwargs: version (the published ConstitutionVersion), actor.
version_published = Signal()

# sender: ReleaseTag; kwargs: tag (the new ReleaseTag), version (its ConstitutionVersion), actor.
release_tagged = Signal()
