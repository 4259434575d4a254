"""Monitoring stations, their observations and the trigger rules that raise risks (§3.4).

A station (a river gauge, a rain gauge, an air-quality monitor, a case-reporting unit)
measures one variable in one unit. Its trigger rule names, per warning level, the value
from which that level applies, and optionally a rate of rise (so much within so many hours)
that applies a level however low the value still is. A rule that fires opens a risk of the
kind the station names, or raises the open one; what level of risk a firing means is
policy data (crossrisk/data/policy/firing_assessment.toml).

variable       what a station measures, its unit and possible range
trigger_rule   thresholds and rates of rise, and when a series of readings fires them
station        a station, read and checked from a station file
observation    one reading, parsed and checked, and the limits of a batch
firing         a rule that fired, and what it means for the risk
hydrograph     a recorded hydrograph replayed as batches of observations
"""
