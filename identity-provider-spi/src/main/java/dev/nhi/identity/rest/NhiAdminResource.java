package dev.nhi.identity.rest;

import dev.nhi.identity.core.Inputs;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.notify.NhiMailer;
import dev.nhi.identity.spi.NhiAdminExtension;
import dev.nhi.identity.spi.NhiSettingsChangedEvent;
import dev.nhi.identity.spi.NhiSetupStep;
import dev.nhi.identity.spi.RealmSettings;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * {@code /admin/realms/{realm}/nhi}: setup, settings, the identity records below {@code identities}, and the
 * other layers' {@link NhiAdminExtension}s.
 */
public final class NhiAdminResource {
    private static final Logger LOG = Logger.getLogger(NhiAdminResource.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Caller caller;

    NhiAdminResource(KeycloakSession session, RealmModel realm, Caller caller) {
        this.session = session;
        this.realm = realm;
        this.caller = caller;
    }

    @Path("identities")
    public IdentitiesResource identities() {
        return new IdentitiesResource(session, realm, caller);
    }

    /** Sub-resources of other layers ({@code grants}, {@code explain}); literal paths above take precedence. */
    @Path("{extension}")
    public Object extension(@PathParam("extension") String name) {
        NhiAdminExtension extension = session.getProvider(NhiAdminExtension.class, name);
        if (extension == null) {
            throw new NotFoundException("no such NHI resource: " + name);
        }
        return extension.resource(session, realm, caller);
    }

    @GET
    @Path("settings")
    @Produces(MediaType.APPLICATION_JSON)
    public Response getSettings() {
        return JsonIO.answer(() -> {
            caller.requireRead();
            return JsonIO.ok(RealmSettings.of(realm).toMap());
        });
    }

    /** Fields not given keep their value; an invalid field changes nothing. */
    @PUT
    @Path("settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response putSettings(String body) {
        return JsonIO.answer(() -> {
            caller.requireWrite();
            NhiSettings before = RealmSettings.of(realm);
            NhiSettings updated = before.merge(JsonIO.object(body));
            RealmSettings.save(realm, updated);
            LOG.infof("realm=%s NHI settings changed by %s: %s", realm.getName(), caller.actor().name(),
                    updated.toMap());
            publishChange(before, updated);
            return JsonIO.ok(updated.toMap());
        });
    }

    /** Idempotent: creates what the realm needs, reports what it created and what was there. */
    @POST
    @Path("setup")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response setup(String body) {
        return JsonIO.answer(() -> {
            caller.requireRealmAdmin();
            Map<String, Object> input = JsonIO.object(body);
            Inputs.rejectUnknown(input, Set.of("mode"));
            NhiSettings before = RealmSettings.of(realm);
            NhiSettings applied = before.merge(input);
            List<NhiSetupStep> steps = session.getKeycloakSessionFactory()
                    .getProviderFactoriesStream(NhiSetupStep.class)
                    .map(f -> session.getProvider(NhiSetupStep.class, f.getId()))
                    .sorted(Comparator.comparingInt(NhiSetupStep::order))
                    .toList();
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("realm", realm.getName());
            report.put("mode", applied.mode().wire());
            report.put("steps", steps.stream().map(step -> step.apply(realm, applied)).toList());
            String base = session.getContext().getUri().getBaseUri().toString().replaceAll("/+$", "");
            realm.setAttribute(NhiMailer.PUBLIC_URL_ATTRIBUTE, base);
            report.put("links", links(base));
            LOG.infof("realm=%s NHI setup by %s, mode=%s", realm.getName(), caller.actor().name(),
                    applied.mode().wire());
            publishChange(before, RealmSettings.of(realm));
            return JsonIO.ok(report);
        });
    }

    /** Where each part is seen or configured: the NHI console, and the pages of Keycloak's admin console. */
    private Map<String, String> links(String base) {
        String realmPath = URLEncoder.encode(realm.getName(), StandardCharsets.UTF_8);
        String adminConsole = base + "/admin/" + URLEncoder.encode(caller.loginRealm(), StandardCharsets.UTF_8)
                + "/console/#/" + realmPath;
        Map<String, String> links = new LinkedHashMap<>();
        links.put("nhiConsole", NhiMailer.consoleUrl(realm, ""));
        links.put("clientProfiles", adminConsole + "/realm-settings/client-policies/profiles");
        links.put("clientPolicies", adminConsole + "/realm-settings/client-policies/policies");
        links.put("clientScopes", adminConsole + "/client-scopes");
        links.put("eventListeners", adminConsole + "/realm-settings/events");
        links.put("emailSettings", adminConsole + "/realm-settings/email");
        return links;
    }

    /** For the evidence layer, in this transaction: only when something changed. */
    private void publishChange(NhiSettings before, NhiSettings after) {
        if (!before.toMap().equals(after.toMap())) {
            session.getKeycloakSessionFactory().publish(new NhiSettingsChangedEvent(session, realm, before, after,
                    caller.actor().id(), caller.actor().name(), Instant.now()));
        }
    }
}
