"""Label files made elsewhere to label records: `reading` turns a file (JSONL, CSV, Parquet;
gzip allowed) into numbered rows, `rows` turns a row into a LabelRecord of its kind, `records`
holds the records and the context a row is checked against. Pure: no database access."""
