package dev.nhi.identity.lifecycle;

import dev.nhi.identity.spi.StatelessProviderFactory;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.spi.NhiSetupStep;
import dev.nhi.identity.spi.NhiSetupStepFactory;
import dev.nhi.identity.spi.RealmSettings;
import java.util.ArrayList;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;

/** The identity layer's setup: the realm roles {@code nhi-admin} and {@code nhi-auditor}, and the settings. */
public final class IdentitySetupStep implements NhiSetupStepFactory, NhiSetupStep,
        StatelessProviderFactory<NhiSetupStep> {
    public static final String PROVIDER_ID = "nhi-identity-setup";
    public static final String ADMIN_ROLE = "nhi-admin";
    public static final String AUDITOR_ROLE = "nhi-auditor";

    @Override
    public int order() {
        return 0;
    }

    @Override
    public Report apply(RealmModel realm, NhiSettings settings) {
        List<String> created = new ArrayList<>();
        List<String> present = new ArrayList<>();
        ensureRole(realm, ADMIN_ROLE, "Manages NHI records and approves JIT grants.", created, present);
        ensureRole(realm, AUDITOR_ROLE, "Reads NHI records, history, posture and evidence.", created, present);
        RealmSettings.save(realm, settings);
        present.add("settings (mode=" + settings.mode().wire() + ")");
        return new Report("identity", created, present);
    }

    private static void ensureRole(RealmModel realm, String name, String description, List<String> created,
                                   List<String> present) {
        if (realm.getRole(name) != null) {
            present.add("realm role " + name);
            return;
        }
        RoleModel role = realm.addRole(name);
        role.setDescription(description);
        created.add("realm role " + name);
    }

    @Override
    public NhiSetupStep create(KeycloakSession session) {
        return this;
    }

    /** Both provider and factory: one close for both. */
    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
