"""Data: reading CSV and XLSX sources into typed, read-only tables
(:mod:`~factsheet.data.sources`), deriving tables from them by named steps with the
file lines behind every row (:mod:`~factsheet.data.derive`,
:mod:`~factsheet.data.steps`, :mod:`~factsheet.data.lineage`), picking rows with
filters (:mod:`~factsheet.data.filters`), computing named figures with their provenance
(:mod:`~factsheet.data.figures`, :mod:`~factsheet.data.calculate`), and printing numbers
the way a language expects (:mod:`~factsheet.data.formats`). Nothing here evaluates
code from a spec. ``docs/data.md`` describes the behaviour for users."""
