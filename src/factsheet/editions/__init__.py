"""Editions: one spec, many factsheets: expansion, batch builds, manifest, bundle."""
