"""Pages for authoring constitutions. Thin: parse the request, call a service or selector, render.

Partials (django-template-partials) are rendered alone for htmx requests; every link and form
also works as a plain page without JavaScript. One module per screen family: `constitutions`,
`versions`, `principles`, `releases` and `compare` (the diff between two versions).
"""

from .compare import version_diff, version_diff_pick
from .constitutions import (
    constitution_create,
    constitution_detail,
    constitution_history,
    constitution_list,
    constitution_mark_reviewed,
    constitution_settings,
)
from .principles import principle_create, principle_delete, principle_edit
from .releases import release_tag_add, release_tag_remove
from .versions import (
    version_detail,
    version_discard,
    version_export,
    version_fork,
    version_import,
    version_publish,
)

__all__ = [
    "constitution_create",
    "constitution_detail",
    "constitution_history",
    "constitution_list",
    "constitution_mark_reviewed",
    "constitution_settings",
    "principle_create",
    "principle_delete",
    "principle_edit",
    "release_tag_add",
    "release_tag_remove",
    "version_detail",
    "version_diff",
    "version_diff_pick",
    "version_discard",
    "version_export",
    "version_fork",
    "version_import",
    "version_publish",
]
