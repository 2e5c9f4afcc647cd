package dev.nhi.console;

import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.spi.NhiSetupStep;
import dev.nhi.identity.spi.NhiSetupStepFactory;
import dev.nhi.identity.spi.StatelessProviderFactory;
import java.util.ArrayList;
import java.util.List;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The console's setup: the public client {@value #CLIENT_ID}, authorization code with PKCE (S256) only,
 * redirecting to the console of its own realm. An existing client of that id is left as it is.
 */
public final class ConsoleSetupStep implements NhiSetupStepFactory, NhiSetupStep,
        StatelessProviderFactory<NhiSetupStep> {
    public static final String PROVIDER_ID = "nhi-console-setup";
    public static final String CLIENT_ID = "nhi-console";

    @Override
    public int order() {
        return 30;
    }

    @Override
    public Report apply(RealmModel realm, NhiSettings settings) {
        List<String> created = new ArrayList<>();
        List<String> present = new ArrayList<>();
        if (realm.getClientByClientId(CLIENT_ID) != null) {
            present.add("client " + CLIENT_ID);
        } else {
            String console = "/realms/" + realm.getName() + "/nhi/console/";
            ClientModel client = realm.addClient(CLIENT_ID);
            client.setName("NHI console");
            client.setDescription("The NHI governance console: authorization code with PKCE, public client.");
            client.setProtocol("openid-connect");
            client.setEnabled(true);
            client.setPublicClient(true);
            client.setStandardFlowEnabled(true);
            client.setImplicitFlowEnabled(false);
            client.setDirectAccessGrantsEnabled(false);
            client.setServiceAccountsEnabled(false);
            client.setFullScopeAllowed(true);
            // As Keycloak's own account console: relative to wherever this server is reached.
            client.setRootUrl("${authBaseUrl}");
            client.setBaseUrl(console);
            client.addRedirectUri(console + "*");
            client.addWebOrigin("+");
            client.setAttribute("pkce.code.challenge.method", "S256");
            client.setAttribute("post.logout.redirect.uris", "+");
            created.add("client " + CLIENT_ID);
        }
        return new Report("console", created, present);
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
