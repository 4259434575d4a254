"""River hydrology on numpy: what a spill or a flood wave does on its way downstream.

advection_dispersion   a dissolved substance in a river reach (1-D, first-order decay)
dispersion             the longitudinal dispersion coefficient from a reach's geometry
mixed_volume           a lake or reservoir as one completely mixed volume
mixing                 how far below a release the river is mixed across its width
muskingum              Muskingum routing of a hydrograph through a reach
muskingum_cunge        Muskingum's K and X from a reach's hydraulics (Cunge 1969)
storage_routing        linear reservoir and storage-indication (modified Puls) routing
flood_routing          a hydrograph down a chain of reaches, lakes and reservoirs
inputs, calculators    the `crossrisk model …` calculators' reader and answers

Units: SI inside (m, s, kg, m³/s); concentrations out in mg/L; decay rates per day, as
they are published. The equations and their sources are in each module's docstring and,
with the models' limits and the calculators, in HYDRO.md.
"""
