"""The annual assessment (年度考核, SPEC §6a): rubric, indicator values, scores, grades, ranks."""
