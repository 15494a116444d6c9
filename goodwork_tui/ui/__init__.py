"""The Textual interface of Goed Werk (only `goodwork` without a subcommand loads it)."""
