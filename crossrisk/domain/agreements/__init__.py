"""Governance agreements (跨域风险治理协议, DESIGN §3.1): drafted by the committee, signed by
every party, amended only as a new version; their obligations checked against the record."""
