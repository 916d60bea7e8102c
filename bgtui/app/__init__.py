"""The application layer: settings, wiring and the services both front ends call."""
