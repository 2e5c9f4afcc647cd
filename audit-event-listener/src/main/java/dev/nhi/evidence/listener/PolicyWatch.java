package dev.nhi.evidence.listener;

import dev.nhi.access.executor.ProfileNames;
import dev.nhi.evidence.jpa.EvidenceStore;
import java.time.Instant;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Records {@code policy.changed} when a realm's {@code nhi-access-policy} configurations differ from the
 * ones last recorded. Keycloak emits no admin event when client profiles or policies are saved, so the
 * shipper looks at every drain: a change is recorded within {@code drain-interval}, without its author.
 */
final class PolicyWatch {
    /** The fingerprints last recorded, {@code <profile>:<fingerprint>} comma-separated. */
    static final String RECORDED_ATTRIBUTE = "nhi.evidence.policies";

    private PolicyWatch() {
    }

    static void observe(KeycloakSession session) {
        Instant now = Instant.now();
        session.realms().getRealmsStream()
                .filter(realm -> realm.getEventsListenersStream().anyMatch(NhiEvidenceListenerFactory.PROVIDER_ID::equals))
                .forEach(realm -> observe(session, realm, now));
    }

    private static void observe(KeycloakSession session, RealmModel realm, Instant now) {
        List<String> current = ProfileNames.all(realm);
        String currentText = String.join(",", current);
        String recorded = realm.getAttribute(RECORDED_ATTRIBUTE);
        if (currentText.equals(recorded)) {
            return;
        }
        List<String> before = recorded == null ? null : recorded.isEmpty() ? List.of() : List.of(recorded.split(","));
        new EvidenceStore(session).outbox(realm, ChangeEvidence.policy(before, current, now));
        realm.setAttribute(RECORDED_ATTRIBUTE, currentText);
    }
}
