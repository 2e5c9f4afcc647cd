package dev.nhi.evidence.listener;

import dev.nhi.access.core.Grant;
import dev.nhi.access.core.GrantState;
import dev.nhi.access.grant.GrantChangedEvent;
import dev.nhi.evidence.core.Controls;
import dev.nhi.identity.core.Change;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.spi.NhiRecordChangedEvent;
import dev.nhi.identity.spi.NhiSettingsChangedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/** The evidence of a change to an identity record, a grant, the settings, a client or a policy: who, why, before and after. */
final class ChangeEvidence {
    private ChangeEvidence() {
    }

    static Map<String, Object> identity(NhiRecordChangedEvent event) {
        Change change = event.change();
        NhiRecord subject = event.after();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", change.reason());
        details.put("version", subject.version());
        details.put("before", event.before() == null ? null : record(event.before()));
        details.put("after", record(subject));
        return fields("identity." + change.type().wire(), change.at(), subjectOf(subject.clientId(), subject.id(),
                subject.ownerId()), actor(change.actorId(), change.actorName()), details);
    }

    static Map<String, Object> grant(GrantChangedEvent event) {
        Grant after = event.after();
        String type = switch (event.step().state()) {
            case PENDING -> "grant.requested";
            case APPROVED -> "grant.approved";
            case DENIED -> "grant.denied";
            case REVOKED, EXPIRED -> "grant.revoked";
        };
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("comment", event.step().comment());
        details.put("version", after.version());
        details.put("before", event.before() == null ? null : grant(event.before()));
        details.put("after", grant(after));
        Map<String, Object> subject = subjectOf(after.clientId(), after.recordId(), null);
        subject.put("grantId", after.id());
        return fields(type, event.step().at(), subject, actor(event.step().actorId(), event.step().actorName()),
                details);
    }

    /**
     * A change Keycloak's admin API made to a client: credentials regenerated, disabled, attributes or
     * scopes changed, created or deleted. Never the representation, which may hold the secret.
     */
    static Map<String, Object> client(RealmModel realm, AdminEvent event) {
        String path = event.getResourcePath() == null ? "" : event.getResourcePath();
        String uuid = path.startsWith("clients/") ? path.substring("clients/".length()).split("/")[0] : null;
        ClientModel client = uuid == null ? null : realm.getClientById(uuid);
        Map<String, Object> subject = subjectOf(client == null ? null : client.getClientId(), null, null);
        subject.put("clientUuid", uuid);
        Map<String, Object> actor = actor(event.getAuthDetails() == null ? null : event.getAuthDetails().getUserId(),
                null);
        actor.put("clientId", event.getAuthDetails() == null ? null : event.getAuthDetails().getClientId());
        actor.put("ipAddress", event.getAuthDetails() == null ? null : event.getAuthDetails().getIpAddress());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("operation", event.getOperationType().name().toLowerCase(Locale.ROOT));
        details.put("resourcePath", path);
        details.put("credentialsRegenerated", path.endsWith("/client-secret"));
        details.put("enabled", client == null ? null : client.isEnabled());
        return fields("client.changed", Instant.ofEpochMilli(event.getTime()), subject, actor, details);
    }

    static Map<String, Object> settings(NhiSettingsChangedEvent event) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("before", event.before().toMap());
        details.put("after", event.after().toMap());
        return fields("settings.changed", event.at(), new LinkedHashMap<>(Map.of("settings", event.realm().getName())),
                actor(event.actorId(), event.actorName()), details);
    }

    /** The realm's {@code nhi-access-policy} configurations changed from {@code before} to {@code after}. */
    static Map<String, Object> policy(List<String> before, List<String> after, Instant at) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("before", before);
        details.put("after", after);
        // Keycloak emits no admin event for client-policy updates: the change is observed, its author is not.
        return fields("policy.changed", at, new LinkedHashMap<>(Map.of("policies", "nhi-access-policy")),
                actor(null, "observed by nhi-evidence"), details);
    }

    private static Map<String, Object> fields(String type, Instant at, Map<String, Object> subject,
                                              Map<String, Object> actor, Map<String, Object> details) {
        return fields(type, at, subject, actor, null, details);
    }

    /** A record's fields before the chain adds its own; {@code controls} from the type. */
    static Map<String, Object> fields(String type, Instant at, Map<String, Object> subject, Map<String, Object> actor,
                                      Map<String, Object> decision, Map<String, Object> details) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", UUID.randomUUID().toString());
        fields.put("time", at.toString());
        fields.put("type", type);
        fields.put("subject", subject);
        fields.put("actor", actor);
        fields.put("decision", decision);
        fields.put("details", details);
        fields.put("controls", List.copyOf(Controls.of(type)));
        return fields;
    }

    private static Map<String, Object> subjectOf(String clientId, String recordId, String owner) {
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("clientId", clientId);
        subject.put("recordId", recordId);
        if (owner != null) {
            subject.put("owner", owner);
        }
        return subject;
    }

    private static Map<String, Object> actor(String id, String name) {
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("id", id);
        actor.put("username", name);
        return actor;
    }

    private static Map<String, Object> record(NhiRecord r) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kind", r.kind().wire());
        map.put("owner", r.ownerId());
        map.put("ownerGroup", r.ownerGroup());
        map.put("purpose", r.purpose());
        map.put("environment", r.environment());
        map.put("status", r.status().wire());
        map.put("expiresAt", r.expiresAt().toString());
        map.put("lastReviewedAt", r.lastReviewedAt() == null ? null : r.lastReviewedAt().toString());
        return map;
    }

    private static Map<String, Object> grant(Grant g) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("scopes", new ArrayList<>(g.scopes()));
        map.put("durationSeconds", g.durationSeconds());
        map.put("reason", g.reason());
        map.put("status", g.state() == GrantState.EXPIRED ? GrantState.APPROVED.wire() : g.state().wire());
        map.put("expiresAt", g.expiresAt() == null ? null : g.expiresAt().toString());
        return map;
    }
}
