package dev.nhi.identity.rest;

import dev.nhi.identity.core.Lifecycle;
import dev.nhi.identity.core.NhiFlag;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.core.RecordVersion;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** The contract's record JSON: owner names resolved, status and flags as of now. */
final class RecordRepresentation {
    private final KeycloakSession session;
    private final RealmModel realm;
    private final NhiSettings settings;
    private final Instant now;

    RecordRepresentation(KeycloakSession session, RealmModel realm, NhiSettings settings, Instant now) {
        this.session = session;
        this.realm = realm;
        this.settings = settings;
        this.now = now;
    }

    Map<String, Object> of(NhiRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("clientId", r.clientId());
        m.put("clientUuid", r.clientUuid());
        m.put("kind", r.kind().wire());
        m.put("owner", user(r.ownerId()));
        m.put("ownerGroup", r.ownerGroup());
        m.put("purpose", r.purpose());
        m.put("environment", r.environment());
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("system", r.provenance().system());
        provenance.put("reference", r.provenance().reference());
        provenance.put("createdBy", r.provenance().createdBy());
        m.put("provenance", provenance);
        m.put("delegatedBy", r.delegatedById() == null ? null : user(r.delegatedById()));
        m.put("status", Lifecycle.effectiveStatus(r, now).wire());
        m.put("suspensionCause", r.suspensionCause() == null ? null : r.suspensionCause().wire());
        m.put("createdAt", time(r.createdAt()));
        m.put("expiresAt", time(r.expiresAt()));
        m.put("reviewDueAt", time(Lifecycle.reviewDueAt(r, settings)));
        m.put("lastReviewedAt", time(r.lastReviewedAt()));
        m.put("lastUsedAt", time(r.lastUsedAt()));
        m.put("orphanedAt", time(r.orphanedAt()));
        m.put("version", r.version());
        m.put("flags", Lifecycle.flags(r, settings, now).stream().map(NhiFlag::wire).toList());
        return m;
    }

    Map<String, Object> of(RecordVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", v.version());
        m.put("changedAt", time(v.change().at()));
        Map<String, Object> by = new LinkedHashMap<>();
        by.put("id", v.change().actorId());
        by.put("username", v.change().actorName());
        m.put("changedBy", by);
        m.put("change", v.change().type().wire());
        m.put("reason", v.change().reason());
        // Status and flags as they were when the version was written, not as of today.
        m.put("record", new RecordRepresentation(session, realm, settings, v.change().at()).of(v.record()));
        return m;
    }

    /** A deleted user keeps its id; the username is then null. */
    private Map<String, Object> user(String id) {
        UserModel user = session.users().getUserById(realm, id);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("username", user == null ? null : user.getUsername());
        return m;
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }
}
