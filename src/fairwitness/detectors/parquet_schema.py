"""The Spark schema of a table's Parquet files, read from their footers.

Spark infers the schema of Parquet files with a job: with ``mergeSchema`` (a table written in
several batches, a later one adding a column) one task per file. Connecting to a lake ran one
such job per table before any detector: on a cold JVM, local[2], the 400-person force's 18
tables took 9.7 s to connect and 5.4 s with the schema given (4.2 and 2.2 s warm), and on the
standalone-cluster test 17.8 s and 13.6 s (`tests/detectors/test_spark_cluster.py`, alone).
The footers are a few kilobytes each, read here in the driver's Python process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa


def spark_schema(files: Sequence[str], session: Any) -> Any:
    """The Spark schema of Parquet ``files`` as Spark would infer it with ``mergeSchema``, read
    from their footers here (one footer per file, in this process) rather than by a Spark job per
    table; None when a column's type is not one Spark's inference is mirrored for here (the
    caller lets Spark infer it), the files' schemas do not merge, or this process cannot open them.

    Mirrored: Spark's own reading of Parquet types (unsigned 64-bit integers as decimals, naive
    timestamps as ``TIMESTAMP_NTZ`` when ``spark.sql.parquet.inferTimestampNTZ.enabled``, lists
    as arrays of nullable elements, every field nullable); a test compares it with Spark's
    inference over a whole ingested lake."""
    import pyarrow.parquet as pq
    from pyspark.sql import types as st

    ntz = str(session.conf.get("spark.sql.parquet.inferTimestampNTZ.enabled", "true")).lower() == "true"

    def convert(t: pa.DataType) -> Any:
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            return st.StringType()
        if pa.types.is_boolean(t):
            return st.BooleanType()
        if pa.types.is_int64(t) or pa.types.is_uint32(t):
            return st.LongType()
        if pa.types.is_int32(t) or pa.types.is_uint16(t):
            return st.IntegerType()
        if pa.types.is_int16(t) or pa.types.is_uint8(t):
            return st.ShortType()
        if pa.types.is_int8(t):
            return st.ByteType()
        if pa.types.is_uint64(t):
            return st.DecimalType(20, 0)
        if pa.types.is_float64(t):
            return st.DoubleType()
        if pa.types.is_float32(t):
            return st.FloatType()
        if pa.types.is_date32(t):
            return st.DateType()
        if pa.types.is_timestamp(t) and t.unit in ("ms", "us"):  # nanoseconds: Spark's own reading decides
            return st.TimestampNTZType() if t.tz is None and ntz else st.TimestampType()
        if pa.types.is_list(t) or pa.types.is_large_list(t):
            inner = convert(t.value_type)
            return None if inner is None else st.ArrayType(inner, True)
        return None

    try:
        merged = pa.unify_schemas([pq.read_schema(f) for f in files])
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError):  # not mergeable, or not readable from here
        return None
    fields = []
    for f in merged:
        typ = convert(f.type)
        if typ is None:
            return None
        fields.append(st.StructField(f.name, typ, True))
    return st.StructType(fields)


__all__ = ["spark_schema"]
