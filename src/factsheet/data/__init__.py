"""Data: reading CSV and XLSX sources into typed, read-only tables
(:mod:`~factsheet.data.sources`), computing named figures from them with their
provenance (:mod:`~factsheet.data.figures`), and printing numbers the way a language
expects (:mod:`~factsheet.data.formats`). Nothing here evaluates code from a spec."""
