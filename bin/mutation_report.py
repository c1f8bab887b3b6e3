#!/usr/bin/env python3
"""Mutation testing of the scoring engine with mutmut 3: prepare a scratch tree, then report.

    bin/mutation_report.py prepare DIR   copy the work tree to DIR (DIR must not exist) and rewrite
                                         the decorators of the modules to mutate, see below
    (cd DIR && mutmut run --max-children 2)
    bin/mutation_report.py report DIR    one row per mutated module: mutants, killed, equivalent,
                                         unreachable, survived, no tests, kill rate; the surviving
                                         mutants not yet explained are listed under the table;
                                         --strict exits 1 while there is one (mutants that were not
                                         run, e.g. outside `mutmut run NAMES`, are left out)

Why a scratch tree: mutmut 3 skips every decorated function, so the twelve `@rule` functions of
rubrics/rules.py (the scoring rules themselves) and the properties of rubrics/scoring.py would
never be mutated. In the copy, `@deco def f` becomes `def f` followed by `f = deco(f)`, which
Python defines as the same thing, and mutmut then mutates the function body. The work tree itself
is never touched. Which modules to rewrite comes from [tool.mutmut] only_mutate in pyproject.toml.

Equivalent mutants (no test can tell them from the original) and unreachable ones (code that runs
at import, before mutmut selects a mutant) are listed in docs/mutation-equivalents.md as table rows
`| <mutant id> | equivalent or unreachable | what changes | why |`. Kill rate = killed / (mutants −
equivalent − unreachable); a listed mutant that a test now kills counts as killed and is flagged.
A timeout or crash of the tests under a mutant counts as killed: the tests noticed it.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "docs" / "mutation-equivalents.md"
# mutmut's own exit-code meaning (mutmut/stats.py): 1 and 3 killed, 0 survived, 5 and 33 no
# tests; a timeout or a crash also means the tests noticed the mutant.
KILLED_CODES = {1, 3, 24, -24, 36, 152, 255, -9, -11}
SURVIVED_CODES = {0}
NO_TESTS_CODES = {5, 33}
KEEP_DECORATED = {"staticmethod", "classmethod"}  # mutmut handles these itself
ROW = re.compile(r"^\|\s*`?([a-z_]+\.[\w.ǁ]+__mutmut_\d+)`?\s*\|\s*(equivalent|unreachable)\s*\|")


def tracked_files(root: Path) -> list[str]:
    """The work tree as git sees it, uncommitted and untracked-but-not-ignored files included."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root, check=True, capture_output=True,
    ).stdout.decode()
    return [name for name in out.split("\0") if name and (root / name).is_file()]


def mutmut_config(root: Path) -> dict[str, object]:
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    config = data.get("tool", {}).get("mutmut")
    if not config:
        sys.exit("pyproject.toml has no [tool.mutmut] section: add it first")
    return config


def undecorated(source: str) -> str:
    """`@d1 @d2 def f` (module or class level) as `def f` then `f = d1(d2(f))`, same meaning."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    targets = [node for parent in [tree, *(n for n in tree.body if isinstance(n, ast.ClassDef))]
               for node in parent.body if _rewritable(node)]
    for node in sorted(targets, key=lambda n: n.lineno, reverse=True):
        indent = " " * node.col_offset
        wrapped = node.name
        for decorator in reversed(node.decorator_list):
            wrapped = f"{ast.get_source_segment(source, decorator)}({wrapped})"
        lines.insert(node.end_lineno, f"{indent}{node.name} = {wrapped}\n")
        del lines[node.decorator_list[0].lineno - 1:node.lineno - 1]
    return "".join(lines)


def _rewritable(node: ast.stmt) -> bool:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or not node.decorator_list:
        return False
    names = {d.id for d in node.decorator_list if isinstance(d, ast.Name)}
    return not (len(node.decorator_list) == 1 and names & KEEP_DECORATED)


def scoped(config: dict[str, object], scope: str | None) -> dict[str, object]:
    """The [tool.mutmut] settings narrowed to one scope of [tool.mutmut-scopes] (e.g. the
    scoring engine that CI runs), or as they are without a scope."""
    if scope is None:
        return config
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    scopes = data.get("tool", {}).get("mutmut-scopes", {})
    if scope not in scopes:
        sys.exit(f"unknown scope {scope!r}: one of {', '.join(sorted(scopes))}")
    return {**config, **scopes[scope]}


def toml_list(values: object) -> str:
    assert isinstance(values, list), values
    return "[" + ", ".join(json.dumps(str(v)) for v in values) + "]"


def prepare(target: Path, scope: str | None = None) -> None:
    if target.exists():
        sys.exit(f"{target} exists: remove it first (a fresh tree gives a fresh mutmut run)")
    config = scoped(mutmut_config(ROOT), scope)
    for name in tracked_files(ROOT):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    (target / "var").mkdir(exist_ok=True)
    if scope is not None:
        pyproject = target / "pyproject.toml"
        text = pyproject.read_text(encoding="utf-8")
        for key in ("source_paths", "only_mutate", "also_copy",
                    "pytest_add_cli_args_test_selection"):
            text = re.sub(rf"^{key} = \[.*?\]$", f"{key} = {toml_list(config[key])}", text,
                          count=1, flags=re.M | re.S)
        pyproject.write_text(text, encoding="utf-8")
    for module in config.get("only_mutate", []):
        path = target / str(module)
        rewritten = undecorated(path.read_text(encoding="utf-8"))
        compile(rewritten, str(path), "exec")
        path.write_text(rewritten, encoding="utf-8")
    print(f"prepared {target}: {', '.join(map(str, config.get('only_mutate', [])))} undecorated")


def listed_mutants(path: Path) -> dict[str, str]:
    """Mutant id → 'equivalent' or 'unreachable', from the rows of docs/mutation-equivalents.md."""
    if not path.exists():
        return {}
    rows = (ROW.match(line) for line in path.read_text(encoding="utf-8").splitlines())
    return {row.group(1): row.group(2) for row in rows if row}


def results(tree: Path) -> dict[str, int | None]:
    codes: dict[str, int | None] = {}
    for meta in sorted((tree / "mutants").rglob("*.py.meta")):
        codes.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    if not codes:
        sys.exit(f"no mutmut results under {tree}/mutants: run `mutmut run` there first")
    return codes


def verdict(code: int, listed: str | None) -> str:
    if code in KILLED_CODES:
        return "killed"
    if code in NO_TESTS_CODES:
        return listed or "no tests"
    if code in SURVIVED_CODES:
        return listed or "survived"
    return "suspicious"


def module_of(mutant: str) -> str:
    """rubrics.rules.x_benchmark__mutmut_46 → rubrics.rules (the module before the function)."""
    return mutant.split(".x_")[0].split(".xǁ")[0]


def report(tree: Path, strict: bool) -> int:
    """Print the table; with strict, exit 1 while a mutant survives unexplained."""
    listed = listed_mutants(EQUIVALENTS)
    codes = {mutant: code for mutant, code in results(tree).items() if code is not None}
    counts: dict[str, Counter[str]] = {}
    unexplained: list[str] = []
    for mutant, code in sorted(codes.items()):
        status = verdict(code, listed.get(mutant))
        counts.setdefault(module_of(mutant), Counter())[status] += 1
        if status in {"survived", "no tests", "suspicious"}:
            unexplained.append(f"{status}: {mutant}")
    print_table(counts)
    for line in unexplained:
        print(line)
    for mutant in sorted(m for m in listed if codes.get(m) in KILLED_CODES):
        print(f"killed although listed in docs/{EQUIVALENTS.name}: {mutant}")
    return 1 if strict and unexplained else 0


def print_table(counts: dict[str, Counter[str]]) -> None:
    columns = ("killed", "equivalent", "unreachable", "survived", "no tests")
    header = f"{'module':<18} {'mutants':>7} " + " ".join(f"{c:>11}" for c in columns) + "   kill rate"
    print(header)
    print("-" * len(header))
    everything: Counter[str] = Counter()
    for module, count in sorted(counts.items()):
        everything.update(count)
        print(row(module, count, columns))
    print("-" * len(header))
    print(row("total", everything, columns))


def row(name: str, count: Counter[str], columns: tuple[str, ...]) -> str:
    total = sum(count.values())
    judged = total - count["equivalent"] - count["unreachable"]
    rate = f"{100 * count['killed'] / judged:.1f} %" if judged else "-"
    return f"{name:<18} {total:>7} " + " ".join(f"{count[c]:>11}" for c in columns) + f"   {rate:>9}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("prepare", "report"))
    parser.add_argument("dir", type=Path, help="the scratch tree mutmut runs in")
    parser.add_argument("--scope", help="prepare: only the modules and tests of this scope of "
                        "[tool.mutmut-scopes] in pyproject.toml (e.g. scoring)")
    parser.add_argument("--strict", action="store_true",
                        help="report: exit 1 while a mutant survives that docs/mutation-equivalents.md "
                             "does not explain")
    args = parser.parse_args()
    if args.action == "prepare":
        prepare(args.dir.resolve(), args.scope)
        return 0
    return report(args.dir.resolve(), args.strict)


if __name__ == "__main__":
    sys.exit(main())
