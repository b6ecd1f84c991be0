"""Check that every tenant-owned table is ready to be distributed by tenant_id (Citus), and say how.

    .venv/bin/python deploy/check_tenant_keys.py                     # the models (what migrations build)
    .venv/bin/python deploy/check_tenant_keys.py --database-url URL  # a live database, by reflection

Rules (../shared/STYLE.md "Scoping", deploy/SCALING.md): a tenant-owned table has tenant_id NOT
NULL and an index starting with it; its unique constraints and composite indexes include / start
with it. Citus adds two more, reported as "for Citus": the primary key must include tenant_id, and a
foreign key between two distributed tables must include it on both sides. Tables without tenant_id
become reference tables (copied to every node). Exit status 1 when a rule of the first kind is
broken outside KNOWN_GAPS (tests/deploy/test_tenant_keys.py runs it), else 0.
"""

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

# Gaps kept on purpose: an API token's hash is looked up before its tenant is known (a Citus
# install keeps api_tokens as a reference table or looks tokens up by tenant first), and the
# outbox reconciler scans pending work across tenants.
KNOWN_GAPS = {
    ("unique", "api_tokens", "uq_api_tokens_token_hash"),
    ("composite", "outbox", "ix_outbox_pending"),
}


@dataclass
class Table:
    name: str
    nullable: dict[str, bool]
    primary_key: list[str]
    indexes: list[tuple[str, list[str], bool]]  # name, columns, unique
    uniques: list[tuple[str, list[str]]]
    foreign_keys: list[tuple[list[str], str, list[str]]]  # columns, referred table, referred columns


@dataclass
class Report:
    reference: list[str] = field(default_factory=list)
    distributed: list[str] = field(default_factory=list)
    problems: list[tuple[str, str, str, str]] = field(default_factory=list)  # rule, table, name, text
    citus: list[tuple[str, str, str]] = field(default_factory=list)  # table, name, text

    def unexpected(self) -> list[tuple[str, str, str, str]]:
        return [problem for problem in self.problems if problem[:3] not in KNOWN_GAPS]


def from_metadata(metadata: sa.MetaData) -> list[Table]:
    """The tables as the models declare them."""
    tables = []
    for table in metadata.sorted_tables:
        tables.append(
            Table(
                name=table.name,
                nullable={column.name: column.nullable for column in table.columns},
                primary_key=[column.name for column in table.primary_key.columns],
                indexes=[(i.name, [c.name for c in i.columns], bool(i.unique)) for i in table.indexes],
                uniques=[
                    (c.name, [col.name for col in c.columns])
                    for c in table.constraints
                    if isinstance(c, sa.UniqueConstraint)
                ],
                foreign_keys=[
                    (
                        [element.parent.name for element in fk.elements],
                        fk.referred_table.name,
                        [element.column.name for element in fk.elements],
                    )
                    for fk in table.foreign_key_constraints
                ],
            )
        )
    return tables


def from_database(url: str) -> list[Table]:
    """The tables as a live database has them (after `safegrid db upgrade`)."""
    engine = sa.create_engine(url)
    inspector = sa.inspect(engine)
    tables = []
    for name in sorted(inspector.get_table_names()):
        if name == "alembic_version":
            continue
        tables.append(
            Table(
                name=name,
                nullable={c["name"]: c["nullable"] for c in inspector.get_columns(name)},
                primary_key=inspector.get_pk_constraint(name)["constrained_columns"],
                indexes=[
                    (i["name"], i["column_names"], bool(i["unique"]))
                    for i in inspector.get_indexes(name)
                    if "duplicates_constraint" not in i  # PostgreSQL's index behind a unique constraint
                ],
                uniques=[(u["name"], u["column_names"]) for u in inspector.get_unique_constraints(name)],
                foreign_keys=[
                    (fk["constrained_columns"], fk["referred_table"], fk["referred_columns"])
                    for fk in inspector.get_foreign_keys(name)
                ],
            )
        )
    engine.dispose()
    return tables


def check(tables: list[Table]) -> Report:
    """Apply the rules to every table."""
    report = Report()
    owned = {table.name for table in tables if "tenant_id" in table.nullable}
    for table in tables:
        if table.name not in owned:
            report.reference.append(table.name)
            continue
        report.distributed.append(table.name)
        if table.nullable["tenant_id"]:
            report.problems.append(("not_null", table.name, "tenant_id", "tenant_id may be NULL"))
        leading = [table.primary_key] + [columns for _name, columns, _unique in table.indexes]
        if not any(columns and columns[0] == "tenant_id" for columns in leading):
            report.problems.append(("indexed", table.name, "tenant_id", "no index starts with tenant_id"))
        unique_sets = table.uniques + [(name, columns) for name, columns, unique in table.indexes if unique]
        for name, columns in unique_sets:
            if "tenant_id" not in columns:
                report.problems.append(
                    ("unique", table.name, name, f"unique ({', '.join(columns)}) without tenant_id")
                )
        for name, columns, unique in table.indexes:
            if len(columns) > 1 and columns[0] != "tenant_id" and not unique:
                report.problems.append(
                    (
                        "composite",
                        table.name,
                        name,
                        f"index ({', '.join(columns)}) does not start with tenant_id",
                    )
                )
        if "tenant_id" not in table.primary_key:
            report.citus.append((table.name, "primary key", f"({', '.join(table.primary_key)})"))
        for columns, referred, referred_columns in table.foreign_keys:
            if referred in owned and referred != table.name and "tenant_id" not in columns:
                report.citus.append(
                    (
                        table.name,
                        "foreign key",
                        f"({', '.join(columns)}) → {referred} ({', '.join(referred_columns)})",
                    )
                )
    return report


def print_report(report: Report) -> None:
    print(f"Reference tables (no tenant_id, copied to every node): {', '.join(report.reference)}")
    print(
        f"Distributed by tenant_id, co-located ({len(report.distributed)}): {', '.join(report.distributed)}"
    )
    print("\nRules of STYLE.md (tenant_id NOT NULL and indexed; unique and composite keys with it):")
    if not report.problems:
        print("  all kept")
    for rule, table, name, text in report.problems:
        known = " (known)" if (rule, table, name) in KNOWN_GAPS else ""
        print(f"  {table}.{name}: {text}{known}")
    keys = [item for item in report.citus if item[1] == "primary key"]
    foreign = [item for item in report.citus if item[1] == "foreign key"]
    print(f"\nFor Citus: {len(keys)} primary keys without tenant_id (must become (tenant_id, id)):")
    print("  " + ", ".join(f"{table} {text}" for table, _kind, text in keys))
    print(f"For Citus: {len(foreign)} foreign keys between distributed tables without tenant_id, e.g.:")
    for table, _kind, text in foreign[:8]:
        print(f"  {table} {text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="check this database instead of the models")
    args = parser.parse_args()
    tables = from_database(args.database_url) if args.database_url else model_tables()
    report = check(tables)
    print_report(report)
    unexpected = report.unexpected()
    if unexpected:
        print(f"\n{len(unexpected)} new problem(s): {unexpected}")
    return 1 if unexpected else 0


def model_tables() -> list[Table]:
    """The models' tables (an app is created only to import every model)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bureau.app import create_app
    from tenancy.config import TestConfig
    from tenancy.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        create_app(TestConfig("sqlite://", None, Path(folder)))
        return from_metadata(db.metadata)


if __name__ == "__main__":
    sys.exit(main())
