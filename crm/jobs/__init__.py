"""Long work (imports, exports) run in the background, with progress a page or the CLI can follow."""
