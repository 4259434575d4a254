"""`crossrisk model …`: the river and reservoir models on their own, JSON in and out.

For analysts and for checking a reach by hand. FILE is a JSON object ("-": standard
input, at most 10 MiB); the answer is one JSON object on standard output, its numbers
rounded to six significant figures. Bad input exits 2 with one line on standard error.
The models and their sources are in crossrisk/hydro/HYDRO.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from crossrisk.cli.support import read_text_file
from crossrisk.hydro import calculators, inputs

MAX_INPUT_BYTES = 10 * 1024 * 1024


@click.group("model")
def model() -> None:
    """River and reservoir models as calculators, JSON in and out (水文模型计算器)."""


@model.command("river-spill")
@click.argument("file")
def river_spill(file: str) -> None:
    """A spill in a uniform river reach: concentration at one section over time.

    \b
    In:  {"mass_kg", "area_m2", "velocity_m_s", "dispersion_m2_s", "decay_per_day",
          "distance_km", "times_h": [...], "release_hours" (optional, default 0)}
    Out: {"concentration_mg_l": [...], "peak_mg_l", "peak_time_h"}

    The peak is the highest of the concentrations at the given times, not the curve's
    exact maximum between them: give times fine enough around the peak.
    """
    _run(file, inputs.river_spill, calculators.river_spill)


@model.command("mixed-reservoir")
@click.argument("file")
def mixed_reservoir(file: str) -> None:
    """A mass mixed at once into a lake or reservoir at time 0.

    \b
    In:  {"mass_kg", "volume_m3", "outflow_m3_s", "decay_per_day", "times_h": [...]}
    Out: {"concentration_mg_l": [...]}
    """
    _run(file, inputs.mixed_reservoir, calculators.mixed_reservoir)


@model.command("reservoir")
@click.argument("file")
def reservoir(file: str) -> None:
    """A flood hydrograph routed through a reservoir, one outflow per inflow ordinate.

    \b
    In:  {"dt_h", "storage": {"linear_k_h": K} or
                             {"table_m3_vs_m3_s": [[storage, outflow], ...]},
          "inflow_m3_s": [...], "initial_outflow_m3_s" (optional: steady state)}
    Out: {"outflow_m3_s": [...]}

    A table is routed by storage indication (modified Puls); beyond its last row the
    last two rows' line is extended.
    """
    _run(file, inputs.reservoir_routing, calculators.reservoir)


def _run(
    file: str,
    read: Callable[[dict[str, Any]], Any],
    compute: Callable[[Any], dict[str, Any]],
) -> None:
    text = read_text_file(file, what="input", max_bytes=MAX_INPUT_BYTES)
    # InvalidInput from here on becomes one line and exit 2 in the command group.
    answer = compute(read(inputs.parse_json(text)))
    click.echo(json.dumps(answer, ensure_ascii=False))
