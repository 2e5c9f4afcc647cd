package dev.nhi.evidence.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one table of which controls each evidence type evidences: OWASP Non-Human Identities Top 10
 * (2025) ids and NIST CSF 2.0 PR.AA ids. The README prints this table; a record's {@code controls} is
 * its type's row.
 */
public final class Controls {
    private static final Map<String, List<String>> BY_TYPE = new LinkedHashMap<>();

    static {
        // tokens: short-lived, scoped, decided by policy at request time; the identity asserted and verified
        BY_TYPE.put("token.issued", List.of("OWASP-NHI5", "OWASP-NHI7", "CSF-PR.AA-03", "CSF-PR.AA-04", "CSF-PR.AA-05"));
        BY_TYPE.put("token.denied", List.of("OWASP-NHI1", "OWASP-NHI5", "OWASP-NHI7", "CSF-PR.AA-03", "CSF-PR.AA-05"));
        // the inventory: every NHI has an owner, a purpose and an expiry
        BY_TYPE.put("identity.registered", List.of("OWASP-NHI1", "CSF-PR.AA-01"));
        BY_TYPE.put("identity.updated", List.of("OWASP-NHI1", "CSF-PR.AA-01"));
        BY_TYPE.put("identity.owner_transferred", List.of("OWASP-NHI1", "CSF-PR.AA-01"));
        BY_TYPE.put("identity.suspended", List.of("OWASP-NHI1", "CSF-PR.AA-01", "CSF-PR.AA-05"));
        BY_TYPE.put("identity.resumed", List.of("OWASP-NHI1", "CSF-PR.AA-01", "CSF-PR.AA-05"));
        BY_TYPE.put("identity.expired", List.of("OWASP-NHI1", "OWASP-NHI7", "CSF-PR.AA-01"));
        BY_TYPE.put("identity.orphaned", List.of("OWASP-NHI1", "CSF-PR.AA-01"));
        BY_TYPE.put("identity.decommissioned", List.of("OWASP-NHI1", "CSF-PR.AA-01"));
        BY_TYPE.put("identity.reviewed", List.of("OWASP-NHI1", "OWASP-NHI5", "CSF-PR.AA-05"));
        // just-in-time elevation with a second person's approval: least privilege, separation of duties
        BY_TYPE.put("grant.requested", List.of("OWASP-NHI5", "CSF-PR.AA-05"));
        BY_TYPE.put("grant.approved", List.of("OWASP-NHI5", "CSF-PR.AA-05"));
        BY_TYPE.put("grant.denied", List.of("OWASP-NHI5", "CSF-PR.AA-05"));
        BY_TYPE.put("grant.revoked", List.of("OWASP-NHI5", "CSF-PR.AA-05"));
        BY_TYPE.put("policy.changed", List.of("OWASP-NHI5", "CSF-PR.AA-05"));
        // the realm's governance settings: mode, default lifetimes, review and grant limits
        BY_TYPE.put("settings.changed", List.of("OWASP-NHI1", "OWASP-NHI5", "CSF-PR.AA-01", "CSF-PR.AA-05"));
        // credentials regenerated, clients disabled or changed outside the NHI API
        BY_TYPE.put("client.changed", List.of("OWASP-NHI1", "OWASP-NHI7", "CSF-PR.AA-01"));
        BY_TYPE.put(Checkpoints.TYPE, List.of());
    }

    private Controls() {
    }

    /** @throws IllegalArgumentException for a type the contract does not name */
    public static List<String> of(String type) {
        List<String> controls = BY_TYPE.get(type);
        if (controls == null) {
            throw new IllegalArgumentException("unknown evidence type " + type);
        }
        return controls;
    }

    /** Every type and its controls, in contract order. */
    public static Map<String, List<String>> table() {
        return BY_TYPE;
    }
}
