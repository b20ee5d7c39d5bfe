"""The parts of ``syncml-decode`` (see ``docs/cli.md``), behind :mod:`syncml._cli`.

Theory of operation: :mod:`.sniff` finds the messages in what the user holds
(a file, an HTTP dump, a log) and says how each was wrapped; :mod:`.decode`
turns each into a model with the public codec, or into an error with what
was understood and a hint; :mod:`.secrets` masks credentials in the model;
:mod:`.render` writes the tree; :mod:`.transcript` relates the messages to
each other.  Each stage returns immutable values to the next.
"""
