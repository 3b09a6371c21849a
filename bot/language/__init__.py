"""Languages and scripts: codes, transliteration, normalisation, detection."""
