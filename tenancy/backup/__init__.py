"""Backup, restore and moving data between databases (`safegrid backup|restore|migrate-data`).

Platform-level code: it reads and writes every tenant's rows through Core statements on its
own connections (outside the ORM tenant filter) and filters by tenant itself where asked.
"""


class BackupError(Exception):
    """A backup, restore or data move that cannot go ahead; the message says why and what to do."""
