"""The knowledge base: legal topics and meta answers read from knowledge/*.yaml."""
