"""The CLI commands, one module each; each registers itself on app.commands.common.cli."""
