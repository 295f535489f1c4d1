"""Human spot checks: sampling AI labels, review queues, reviews, adjudication and gold."""
