"""Zero-reports (零报告): daily report periods the bureau switches on, the schools' daily reports."""
