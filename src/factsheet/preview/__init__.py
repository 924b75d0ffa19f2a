"""The live review loop: `factsheet watch` rebuilds on save and prints what it did;
`factsheet preview` does the same in a warm process behind a local page that shows
every edition's pages and updates itself (see docs/preview.md)."""
