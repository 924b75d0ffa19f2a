"""The sign-off loop: `factsheet proof` prints every edition's pages on one labelled
sheet, `factsheet approve` records the current PDFs, page images and manifest as the
approved set (`approved/<spec>/`, meant to be committed), and `factsheet diff` says,
page by page, figure by figure and word by word, what changed since. Each module owns
one job: :mod:`.editions` (what is current, and whether it may be reviewed),
:mod:`.pages` (page images and words), :mod:`.proof`, :mod:`.approve`,
:mod:`.compare` and :mod:`.pixels` (the diff), :mod:`.html` (the diff's report)."""
