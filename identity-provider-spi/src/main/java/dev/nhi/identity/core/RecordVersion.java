package dev.nhi.identity.core;

/** One entry of a record's history: the record as it was after {@code change}. */
public record RecordVersion(long version, Change change, NhiRecord record) {
}
