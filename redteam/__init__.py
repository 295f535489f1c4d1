"""Red-teaming and regression evaluation (issue 7): suites of eval cases linked to principle
codes, mutation operators, runs judged as violation / refusal / safe compliance."""
