"""CAP 1.2 alerts: render a warning, validate against the OASIS schema, parse safely.

References are to the clauses of the OASIS Common Alerting Protocol Version 1.2
(CAP-v1.2-os): §3.2.1 alert, §3.2.2 info, §3.2.4 area, §3.3.2 dates and times.

schema    the safe reading of a CAP document and its validation against the bundled XSD
render    a warning as a CAP alert, and the same sentences as plain text
area      warning areas as CAP polygons and circles, and back
parse     a CAP alert from another system, read into values
reading   what crossrisk reads of a received alert before acting on it
mapping   the policy tables mapping warnings onto CAP values and received alerts onto risks
"""
