package dev.nhi.evidence.listener;

import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.spi.NhiSetupStep;
import dev.nhi.identity.spi.NhiSetupStepFactory;
import dev.nhi.identity.spi.StatelessProviderFactory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** {@code /nhi/setup}: adds the {@code nhi-evidence} listener to the realm, keeping the realm's others. */
public final class EvidenceSetupStep implements NhiSetupStepFactory, StatelessProviderFactory<NhiSetupStep> {
    public static final String PROVIDER_ID = "nhi-evidence-setup";

    @Override
    public NhiSetupStep create(KeycloakSession session) {
        return new NhiSetupStep() {
            @Override
            public int order() {
                return 20;
            }

            @Override
            public Report apply(RealmModel realm, NhiSettings settings) {
                Set<String> listeners = realm.getEventsListenersStream()
                        .collect(Collectors.toCollection(LinkedHashSet::new));
                if (listeners.contains(NhiEvidenceListenerFactory.PROVIDER_ID)) {
                    return new Report("evidence", List.of(), List.of("event listener " + NhiEvidenceListenerFactory.PROVIDER_ID));
                }
                listeners.add(NhiEvidenceListenerFactory.PROVIDER_ID);
                realm.setEventsListeners(listeners);
                return new Report("evidence", List.of("event listener " + NhiEvidenceListenerFactory.PROVIDER_ID), List.of());
            }
        };
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
