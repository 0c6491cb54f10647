"""`briefgen lsp`: a language server for fact sheets, a package by job (server.py lists them)."""
