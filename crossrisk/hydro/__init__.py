"""River hydrology on numpy: what a spill or a flood wave does on its way downstream.

advection_dispersion   a dissolved substance in a river reach (1-D, first-order decay)
dispersion             the longitudinal dispersion coefficient from a reach's geometry
mixed_volume           a lake or reservoir as one completely mixed volume

Units: SI inside (m, s, kg, m³/s); concentrations out in mg/L; decay rates per day, as
they are published. The equations and their sources are in each module's docstring.
"""
