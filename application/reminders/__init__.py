"""Reminders (issue 6): the rules and the scan, the commands, the mail outbox and its SMTP sender, the
scheduler process, and the secret keys of the personal calendar feeds."""
