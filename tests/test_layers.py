"""The package's shape: imports go only down the data flow, and no module is over 400 lines."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from .conftest import ROOT

MAX_LINES = 400

# The layers of the data flow, lowest first: a module may import its own layer or lower ones.
LAYERS: dict[str, int] = {
    "presslens._lazy": 0, "presslens._version": 0, "presslens.errors": 0, "presslens.settings": 0,
    "presslens.ingest": 1, "presslens.clean": 2, "presslens.nlp": 3, "presslens.knowledge": 4,
    "presslens.analyzers": 5, "presslens.record": 6, "presslens.store": 7, "presslens.train": 8,
    "presslens.eval": 9, "presslens.pipeline": 10, "presslens.run": 10,
    "presslens.cli": 11, "presslens.web": 11, "presslens": 11, "presslens.__main__": 11,
}


def module_name(path: Path, root: Path) -> str:
    """The dotted name of a module file under ``root`` (a package's ``__init__`` is the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(name: str) -> int | None:
    """The layer of a presslens module: the entry of its longest listed prefix (None when unlisted)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in LAYERS:
            return LAYERS[prefix]
    return None


def _is_module(name: str, root: Path) -> bool:
    """Whether a dotted presslens name is a module or package of the source tree under ``root``."""
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported(path: Path, root: Path) -> Iterator[tuple[int, str]]:
    """(line, module) of every presslens import in a file, at any depth, relative imports resolved."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "presslens")
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            source = (f"{base}.{node.module}" if node.module else base) if node.level else (node.module or "")
            if source.split(".")[0] != "presslens":
                continue
            for alias in node.names:  # `from presslens import errors` imports the module presslens.errors
                yield node.lineno, f"{source}.{alias.name}" if _is_module(f"{source}.{alias.name}", root) else source


def modules(root: Path = ROOT) -> list[Path]:
    """Every Python file of the package under ``root``."""
    return sorted((root / "presslens").rglob("*.py"))


def upward_imports(root: Path = ROOT) -> list[str]:
    """One line per import that goes up the layer order (or touches a module without a layer)."""
    problems = []
    for path in modules(root):
        name, where = module_name(path, root), path.relative_to(root)
        own = layer(name)
        if own is None:
            problems.append(f"{where}: {name} has no layer in tests/test_layers.py")
            continue
        for line, target in imported(path, root):
            theirs = layer(target)
            if theirs is None or theirs > own:
                problems.append(f"{where}:{line}: {name} (layer {own}) imports {target} (layer {theirs})")
    return problems


def test_layers_imports_go_only_down_the_data_flow() -> None:
    problems = upward_imports()
    assert not problems, "\n".join(problems)


def test_layers_checker_sees_upward_relative_and_function_imports(tmp_path: Path) -> None:
    """The checker itself, on a fake tree: upward (relative, in a function) flagged, downward not."""
    (tmp_path / "presslens" / "ingest").mkdir(parents=True)
    (tmp_path / "presslens" / "record").mkdir()
    for init in ("presslens", "presslens/ingest", "presslens/record"):
        (tmp_path / init / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "presslens" / "errors.py").write_text("", encoding="utf-8")
    (tmp_path / "presslens" / "record" / "models.py").write_text("from presslens import errors\n", encoding="utf-8")
    (tmp_path / "presslens" / "ingest" / "raw.py").write_text(
        "from ..record import models\nfrom . import raw\nimport json\ndef f():\n    import presslens.cli\n"
        "    from presslens.errors import UsageError\n    from presslens import Pipeline\n",
        encoding="utf-8",
    )
    assert upward_imports(tmp_path) == [
        "presslens/ingest/raw.py:1: presslens.ingest.raw (layer 1) imports presslens.record.models (layer 6)",
        "presslens/ingest/raw.py:5: presslens.ingest.raw (layer 1) imports presslens.cli (layer 11)",
        "presslens/ingest/raw.py:7: presslens.ingest.raw (layer 1) imports presslens (layer 11)",
    ]


def test_layers_no_module_over_400_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in modules() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"
