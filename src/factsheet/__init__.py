"""factsheet: turn a YAML spec and data files into branded, print-ready PDF factsheets."""

__version__ = "0.1.0"
