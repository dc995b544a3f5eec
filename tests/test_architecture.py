"""The architecture, checked where import-linter cannot see (docs/architecture.md explains both).

- Pure rule modules import no Django ORM: they are plain functions over Decimal, tested with hypothesis.
- One writer per workflow: a status field is assigned only inside its workflow's `<thing>_move` service.
- No Python file over 600 lines.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("common", "accounts", "applications", "rates", "plans", "reviews", "grants", "onepluone")
PURE_MODULES = (
    "common/money.py",
    "applications/matching.py",
    "rates/conversion.py",
    "reviews/scoring/rules.py",
    "reviews/ranking/rank.py",
)
# What a pure module may import from Django: translations, nothing that reaches the database.
PURE_ALLOWED_DJANGO = ("django.utils.translation", "django.utils.functional")
STATUS_FIELDS = ("status",)
# Where a `*_move` function may assign a status: services.py files, and the letters' rendering module, which
# the letter tasks store through and which services.py imports (docs/architecture.md, "One writer per workflow").
MOVE_MODULES = ("grants/letters/rendering.py",)
MAX_LINES = 600


def _sources(*roots: str) -> list[Path]:
    return sorted(
        path
        for root in roots
        for path in (ROOT / root).rglob("*.py")
        if "migrations" not in path.parts and ".venv" not in path.parts
    )


def _imported_modules(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_rule_modules_import_no_orm(module):
    tree = ast.parse((ROOT / module).read_text())

    django_imports = [name for name in _imported_modules(tree) if name.split(".")[0] == "django"]

    assert [name for name in django_imports if not name.startswith(PURE_ALLOWED_DJANGO)] == []


def _status_writes(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, enclosing function) of every `x.status = ...`, `.update(status=...)` and `setattr(x, "status", ...)`."""
    found: list[tuple[int, str]] = []

    def writes_status(node: ast.AST) -> bool:
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            flat = [e for t in targets for e in (t.elts if isinstance(t, ast.Tuple | ast.List) else [t])]
            return any(isinstance(t, ast.Attribute) and t.attr in STATUS_FIELDS for t in flat)
        if not isinstance(node, ast.Call):
            return False
        if isinstance(node.func, ast.Attribute) and node.func.attr == "update":
            return any(keyword.arg in STATUS_FIELDS for keyword in node.keywords)
        is_setattr = isinstance(node.func, ast.Name) and node.func.id == "setattr" and len(node.args) > 1
        return is_setattr and isinstance(node.args[1], ast.Constant) and node.args[1].value in STATUS_FIELDS

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if writes_status(child):
                found.append((child.lineno, name))
            visit(child, name)

    visit(tree, "<module>")
    return found


def test_status_fields_are_assigned_only_by_move_services():
    offenders = []
    for path in _sources(*APPS):
        relative = path.relative_to(ROOT).as_posix()
        for line, function in _status_writes(ast.parse(path.read_text())):
            if not ((path.name == "services.py" or relative in MOVE_MODULES) and function.endswith("_move")):
                offenders.append(f"{relative}:{line} in {function}()")

    assert offenders == []


def test_the_status_check_sees_every_kind_of_write():
    tree = ast.parse(
        "def a(x):\n    x.status = 1\n"
        "def b(q):\n    q.update(status=2)\n"
        "def c(x):\n    setattr(x, 'status', 3)\n"
        "def thing_move(x):\n    x.status = 4\n"
        "def d(x):\n    x.status, x.at = 5, 6\n"
    )

    assert _status_writes(tree) == [(2, "a"), (4, "b"), (6, "c"), (8, "thing_move"), (10, "d")]


def test_no_python_file_is_over_600_lines():
    long_files = [
        f"{path.relative_to(ROOT).as_posix()}: {count}"
        for path in _sources(*APPS, "tests", "bench")
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    ]

    assert long_files == []
