"""Reading written briefs back: the embedded manifest and what a reader of the file sees.

Readers are bounded: a file briefkit did not write (or a damaged one) gives a clear
:class:`~briefkit.errors.ReadError`, never a traceback or unbounded memory use.
"""
