package dev.nhi.identity.core;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Validated fields of a registration (all given) or a change (any subset). {@code owner} is a
 * username or user id, resolved against the realm by the caller, as is {@code delegatedBy} (the person
 * an agent acts for). Null means "not given".
 */
public record RecordInput(
        String clientId, String owner, String ownerGroup, String purpose, String environment, NhiKind kind,
        Instant expiresAt, Provenance provenance, String delegatedBy) {

    public static final int MAX_NAME = 255;
    public static final int MAX_PURPOSE = 1024;
    static final Set<String> REGISTRATION_FIELDS =
            Set.of("clientId", "owner", "ownerGroup", "purpose", "environment", "kind", "expiresAt", "provenance",
                    "delegatedBy");
    static final Set<String> PATCH_FIELDS =
            Set.of("owner", "ownerGroup", "purpose", "environment", "kind", "expiresAt");
    private static final Set<String> PROVENANCE_FIELDS = Set.of("system", "reference", "createdBy");

    /** {@code clientId}, {@code owner}, {@code purpose} and {@code expiresAt} are required. */
    public static RecordInput registration(Map<String, ?> input) {
        Inputs.rejectUnknown(input, REGISTRATION_FIELDS);
        String clientId = Inputs.required(input, "clientId", MAX_NAME);
        String owner = Inputs.required(input, "owner", MAX_NAME);
        String purpose = Inputs.required(input, "purpose", MAX_PURPOSE);
        Instant expiresAt = Inputs.instant("expiresAt", Inputs.required(input, "expiresAt", 64));
        return new RecordInput(clientId, owner, Inputs.optional(input, "ownerGroup", MAX_NAME), purpose,
                Inputs.environment(Inputs.optional(input, "environment", 64)), kind(input), expiresAt,
                provenance(input), Inputs.optional(input, "delegatedBy", MAX_NAME));
    }

    /** Any subset of the changeable fields; at least one. */
    public static RecordInput patch(Map<String, ?> input) {
        Inputs.rejectUnknown(input, PATCH_FIELDS);
        if (input.isEmpty()) {
            throw new InvalidInputException("body", "give at least one of " + PATCH_FIELDS);
        }
        String expiresAt = Inputs.optional(input, "expiresAt", 64);
        return new RecordInput(null, Inputs.optional(input, "owner", MAX_NAME),
                Inputs.optional(input, "ownerGroup", MAX_NAME), Inputs.optional(input, "purpose", MAX_PURPOSE),
                Inputs.environment(Inputs.optional(input, "environment", 64)), kind(input),
                expiresAt == null ? null : Inputs.instant("expiresAt", expiresAt), null, null);
    }

    private static NhiKind kind(Map<String, ?> input) {
        String kind = Inputs.optional(input, "kind", 32);
        return kind == null ? null : WireEnum.parse(NhiKind.class, "kind", kind);
    }

    private static Provenance provenance(Map<String, ?> input) {
        Map<String, ?> p = Inputs.object(input, "provenance");
        if (p == null) {
            return Provenance.NONE;
        }
        try {
            Inputs.rejectUnknown(p, PROVENANCE_FIELDS);
            return new Provenance(Inputs.optional(p, "system", 128), Inputs.optional(p, "reference", 512),
                    Inputs.optional(p, "createdBy", MAX_NAME));
        } catch (InvalidInputException e) {
            throw new InvalidInputException("provenance." + e.field(), e.getMessage());
        }
    }
}
