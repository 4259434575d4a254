"""HTTP API: thin routes over the services, errors as problem details."""
