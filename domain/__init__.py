"""The partnership framework's rules, as pure Python.

Nothing here does I/O, reads the clock or imports a framework: every command
takes the moment it happens (``at``) as an argument, so the rules can be tested
on any date and the event log records exactly what the caller said.
"""
