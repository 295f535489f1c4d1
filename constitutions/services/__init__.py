"""Writes to constitutions. Every page, API call and command goes through these functions, so each
one checks permissions, refuses writes to published versions and records an audit event.

- `constitutions`: create a constitution, change its settings, mark it reviewed;
- `versions`: fork a draft, publish it, discard it;
- `principles`: add, edit (with edit-conflict detection) and remove principles of a draft;
- `releases`: tag a published version with the model releases trained on it;
- `yaml_import`: import a YAML document as a new draft;
- `drafts`: the locking and numbering the others share.
"""

from .constitutions import constitution_create, constitution_mark_reviewed, constitution_update
from .drafts import EDITABLE_FIELDS, User
from .principles import principle_create, principle_delete, principle_update
from .releases import release_tag_add, release_tag_remove
from .versions import version_discard, version_fork, version_publish
from .yaml_import import version_import_yaml

__all__ = [
    "EDITABLE_FIELDS",
    "User",
    "constitution_create",
    "constitution_mark_reviewed",
    "constitution_update",
    "principle_create",
    "principle_delete",
    "principle_update",
    "release_tag_add",
    "release_tag_remove",
    "version_discard",
    "version_fork",
    "version_import_yaml",
    "version_publish",
]
