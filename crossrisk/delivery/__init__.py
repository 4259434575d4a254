"""Delivery channels: each sends one envelope to one target and reports an outcome.

Every channel has the same shape (crossrisk.delivery.channel.Channel), never raises and
gives up by its timeout, so one slow or broken recipient cannot hold back the others.
"""
