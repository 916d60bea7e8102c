"""The embedded AWS emulator: moto's server with fidelity patches, a demo stack and traffic."""
