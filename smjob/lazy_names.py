"""PEP 562 lazy package attributes: a name is imported from its submodule on first use, so a
package can offer one flat API without paying for every submodule at import time."""

from __future__ import annotations

import importlib


def lazy_names(package: str, modules: dict[str, tuple[str, ...]], namespace: dict):
    """`__getattr__`, `__dir__` and `__all__` for `package`, whose `modules` map each submodule to the
    names it provides. A name, once imported, is stored in `namespace` (the package's globals()) so
    later look-ups do not come back here."""
    home = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str):
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(home))

    return __getattr__, __dir__, sorted(home)
