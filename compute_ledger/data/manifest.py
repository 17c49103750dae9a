"""The build's manifest: the hash of each table file a validated build wrote, so the app can trust an unchanged
file without validating it again (pandera takes seconds to import)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from compute_ledger.data.schema import PUBLISHED_TABLE_NAMES

MANIFEST = "manifest.json"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def validated_by_build(data_dir: Path) -> set[str]:
    """Tables whose parquet file is byte for byte what a validated build wrote (per the build's manifest)."""
    return set(vouched_hashes(data_dir))


def vouched_hashes(data_dir: Path) -> dict[str, str]:
    """The hash of each table file the build's manifest vouches for (unchanged since it was validated)."""
    manifest_path = data_dir / MANIFEST
    if not manifest_path.is_file():
        return {}
    try:
        manifest = json.loads(manifest_path.read_text())["tables"]
    except (ValueError, KeyError, TypeError):
        return {}
    return {name: entry["sha256"] for name, entry in manifest.items()
            if isinstance(entry, dict) and (data_dir / f"{name}.parquet").is_file()
            and entry.get("sha256") == file_sha256(data_dir / f"{name}.parquet")}


def write_manifest(data_dir: Path) -> None:
    """Record the hash of each parquet file just validated, so the app can skip validating it again.

    Call it only right after the files passed validation (the build does; so do the benchmarks)."""
    # Every table the folder holds: a ledger written without citations (a benchmark's) has the four alone.
    manifest = {"tables": {name: {"sha256": file_sha256(data_dir / f"{name}.parquet")} for name in PUBLISHED_TABLE_NAMES
                           if (data_dir / f"{name}.parquet").is_file()}}
    (data_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
