"""The one exception type for mistakes a user can make and fix."""


class UserError(Exception):
    """A bad file, an unknown run, an empty sentence...: the message says what to do.

    The CLI prints it on one line (no traceback) and exits with status 2; the app shows it
    as a message.
    """
