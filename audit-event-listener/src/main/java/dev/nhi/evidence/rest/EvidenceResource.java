package dev.nhi.evidence.rest;

import dev.nhi.evidence.jpa.EvidenceStore;
import dev.nhi.evidence.listener.NhiEvidenceListenerFactory;
import dev.nhi.evidence.ship.Sink;
import dev.nhi.identity.rest.Caller;
import dev.nhi.identity.rest.JsonIO;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** {@code /admin/realms/{realm}/nhi/evidence}: where the realm's evidence stands. Readers only. */
final class EvidenceResource {
    private final KeycloakSession session;
    private final RealmModel realm;
    private final Caller caller;

    EvidenceResource(KeycloakSession session, RealmModel realm, Caller caller) {
        this.session = session;
        this.realm = realm;
        this.caller = caller;
    }

    /**
     * The backlog (records not yet chained, records not yet on every sink, the age of the oldest), the
     * chain's head, and each sink's last {@code seq} (or why it cannot be read).
     */
    @GET
    @Path("status")
    @Produces(MediaType.APPLICATION_JSON)
    public Response status() {
        return JsonIO.answer(() -> {
            caller.requireRead();
            EvidenceStore.Backlog backlog = new EvidenceStore(session).backlog(realm.getId());
            Instant now = Instant.now();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("realm", realm.getName());
            answer.put("listenerEnabled", realm.getEventsListenersStream()
                    .anyMatch(NhiEvidenceListenerFactory.PROVIDER_ID::equals));
            answer.put("unchained", backlog.unchained());
            answer.put("unshipped", backlog.unshipped());
            answer.put("oldestWaitingSeconds", backlog.oldestWrittenAt() == null ? null
                    : Duration.between(backlog.oldestWrittenAt(), now).toSeconds());
            answer.put("chainSeq", backlog.chainSeq());
            answer.put("sealedSeq", backlog.sealedSeq());
            Map<String, Object> sinks = new LinkedHashMap<>();
            NhiEvidenceListenerFactory factory = (NhiEvidenceListenerFactory) session.getKeycloakSessionFactory()
                    .getProviderFactory(EventListenerProvider.class, NhiEvidenceListenerFactory.PROVIDER_ID);
            for (Sink sink : factory.sinks()) {
                Map<String, Object> position = new LinkedHashMap<>();
                try {
                    position.put("lastSeq", sink.lastSeq(realm.getName()));
                } catch (IOException e) {
                    position.put("error", e.getMessage());
                }
                sinks.put(sink.name(), position);
            }
            answer.put("sinks", sinks);
            return JsonIO.ok(answer);
        });
    }
}
