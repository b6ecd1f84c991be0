"""Incidents (安全事故/突发事件): first report, follow-ups, closing report, the one-hour rule."""
