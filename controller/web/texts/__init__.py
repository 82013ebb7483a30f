"""Per-area UI words (``TEXT = {key: (vi, en)}``), merged by ``controller.web.ui_text``."""
