"""Writes for human review: samples, queues, reviews, adjudication."""
