"""The CAP sender registry page: external senders, CAP feeds and own sender ids."""
