package dev.nhi.identity.core;

/** Where a machine identity came from: the creating system, its reference (ticket, repo, stack) and who created it. */
public record Provenance(String system, String reference, String createdBy) {
    public static final Provenance NONE = new Provenance(null, null, null);
}
