"""Charts: matplotlib figures drawn into the PDF as vectors with the theme's fonts."""
