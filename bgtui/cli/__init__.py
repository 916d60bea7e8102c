"""The command line: parses, asks the application layer, renders."""
