"""The core: plain Python, no Textual. Model, library, search, workspace, catalogs."""
