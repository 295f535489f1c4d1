"""Red-teaming and regression evaluation: suites of eval cases linked to principle codes,
mutation operators, runs judged as violation / refusal / safe compliance."""
