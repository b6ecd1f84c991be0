"""Operations: readiness checks (/readyz, `safegrid check`), structured logs, failed RQ jobs."""
