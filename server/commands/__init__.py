"""One module per ``jobdeck`` command, imported only when that command runs."""
