"""The app's screens: documents (home), reader, codebook and retrieval, identifier review, search, help."""
