"""What the API and the pages share over HTTP: request dependencies and problem details.

Both adapters import this package and neither imports the other; crossrisk.app puts them
together into one application.
"""
