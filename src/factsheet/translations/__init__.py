"""Translations the way translators work: gettext catalogs. :mod:`.catalogs` writes
the template and merges each language's catalog, :mod:`.texts` and :mod:`.values` say
what a reader sees, :mod:`.apply` reads a language's catalog into an edition's spec
tree and :mod:`.checks` checks each translation keeps its placeholders and Markdown."""
