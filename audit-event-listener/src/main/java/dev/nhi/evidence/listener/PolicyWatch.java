package dev.nhi.evidence.listener;

import dev.nhi.access.executor.ProfileNames;
import dev.nhi.evidence.jpa.EvidenceStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Records {@code policy.changed} when a realm's {@code nhi-access-policy} configurations differ from the
 * ones last recorded. Keycloak emits no admin event when client profiles or policies are saved, so the
 * shipper looks at every drain: a change is recorded within {@code drain-interval}, without its author.
 * What was recorded is kept in a table of the evidence layer, not in the realm: a background write to the
 * realm would make a deletion of the realm at that moment fail.
 */
final class PolicyWatch {
    private PolicyWatch() {
    }

    static void observe(KeycloakSession session) {
        Instant now = Instant.now();
        EvidenceStore store = new EvidenceStore(session);
        Map<String, String> recorded = store.recordedPolicies();
        Set<String> realmIds = new HashSet<>();
        // in one order on every node, so that two drains that lock the rows of several realms cannot deadlock
        session.realms().getRealmsStream().sorted(Comparator.comparing(RealmModel::getId)).forEach(realm -> {
            realmIds.add(realm.getId());
            if (realm.getEventsListenersStream().anyMatch(NhiEvidenceListenerFactory.PROVIDER_ID::equals)) {
                observe(store, realm, recorded.get(realm.getId()), now);
            }
        });
        // a realm deleted while the drain recorded its policies: its removal found nothing to forget
        recorded.keySet().stream().filter(id -> !realmIds.contains(id)).forEach(store::forgetPolicies);
    }

    private static void observe(EvidenceStore store, RealmModel realm, String recorded, Instant now) {
        List<String> current = ProfileNames.all(realm);
        String currentText = String.join(",", current);
        if (currentText.equals(recorded)) {
            return;
        }
        // empty when a drain that overlapped this one recorded the change since this one read it
        store.recordPolicies(realm.getId(), currentText).ifPresent(before -> store.outbox(realm,
                ChangeEvidence.policy(names(before.profiles()), current, now)));
    }

    private static List<String> names(String recorded) {
        return recorded == null ? null : recorded.isEmpty() ? List.of() : List.of(recorded.split(","));
    }
}
