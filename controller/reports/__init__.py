"""Reports for officers: the monthly broadcast log, minutes on air, charts, the printable PDF,
the audit trail, and the dashboard's derived views (alerts, today's timeline).

Pure logic (``records``, ``chart``, ``alerts``, ``timeline``) is free of I/O; ``monthly`` and
``audit_trail`` read the database; ``pdf`` turns a month's report into PDF bytes.
"""
