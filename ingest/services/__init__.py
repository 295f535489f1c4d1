"""Writes of the ingest app: file imports (`imports`), streamed batches (`stream`), service
accounts (`accounts`), with the chunked writer (`writer`) and the row context (`context`)."""
