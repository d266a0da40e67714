"""Texts and keyboards from domain objects, in the reader's language (HTML parse mode).

One module per feature; `common` holds what they share.
"""
