"""Mutual aid computations: the allocation linear programme (HiGHS), pure of I/O and storage."""
