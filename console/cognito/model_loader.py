"""botocore's data loader, without listing every service to load one, and
reading JSON into plain dicts.

botocore checks that a service exists before loading its model by listing
every service it has data for: ~450 folders, one ``listdir`` and a few
``stat`` calls each, twice per client (the model and its endpoint rules):
~25 ms of the ~60 ms a client takes to make, most of "ready" after the
config. Whether *this* service has the data is known from its own folder
(:meth:`Loader.list_api_versions`, which raises when it has none): that is
what we ask first. A service with none goes the original way, so an unknown
name still fails with botocore's own error, naming what is known.

botocore also parses its JSON into ``OrderedDict``s (a hook per object, from
before dicts kept their order): the 1.2 MB ``endpoints.json`` every client
reads takes ~18 ms that way, ~6 ms into plain dicts, which keep the same order.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from botocore.exceptions import DataNotFoundError
from botocore.loaders import JSONFileLoader, Loader, instance_cache

__all__ = ["DictFileLoader", "DirectLoader", "direct_loader"]


class DictFileLoader(JSONFileLoader):
    """botocore's JSON file loader, into plain dicts (same keys, same order)."""

    def _load_file(self, full_path: str, open_method: Any) -> Any:
        if not Path(full_path).is_file():
            return None
        with open_method(full_path, "rb") as fp:
            payload = fp.read().decode("utf-8")
        return json.loads(payload)


class DirectLoader(Loader):
    """A :class:`botocore.loaders.Loader` that looks in the service's own folder first."""

    @instance_cache
    def load_service_model(
        self, service_name: str, type_name: str, api_version: str | None = None
    ) -> Any:
        """As :meth:`Loader.load_service_model`, without listing every service."""
        try:
            versions = self.list_api_versions(service_name, type_name)
        except DataNotFoundError:
            # Not there (or a name botocore does not know): its own check and error.
            return super().load_service_model(service_name, type_name, api_version)
        if api_version is None:
            api_version = max(versions)  # what determine_latest_version returns
        model = self.load_data(str(Path(service_name, api_version, type_name)))
        # Loader's own steps for the rest (private: botocore-stubs leave them out).
        extras = self._find_extras(service_name, type_name, api_version)  # type: ignore[attr-defined]
        self._extras_processor.process(model, extras)  # type: ignore[attr-defined]
        return model


def direct_loader(search_path_string: str | None) -> DirectLoader:
    """A :class:`DirectLoader` for botocore's ``data_path`` (``AWS_DATA_PATH``), as
    :func:`botocore.loaders.create_loader` builds its own loader."""
    if search_path_string is None:
        return DirectLoader(file_loader=DictFileLoader())
    paths = [
        str(Path(os.path.expandvars(path)).expanduser())
        for path in search_path_string.split(os.pathsep)
    ]
    return DirectLoader(extra_search_paths=paths, file_loader=DictFileLoader())
