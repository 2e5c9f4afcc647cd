package dev.nhi.access.executor;

import dev.nhi.access.core.AccessPolicy;
import java.util.List;
import java.util.TreeSet;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** The form of the {@code nhi-access-policy} executor in the admin console (Realm settings, Client policies). */
final class NhiAccessPolicyConfigProperties {
    static final List<ProviderConfigProperty> ALL = ProviderConfigurationBuilder.create()
            .property().name(AccessPolicy.MAX_TOKEN_TTL).label("Maximum token lifetime (seconds)")
            .type(ProviderConfigProperty.STRING_TYPE)
            .helpText("Access tokens live at most this long, and never beyond the NHI's expiry. Empty: the realm's"
                    + " defaultTokenTtlSeconds. 1 to 86400.").add()
            .property().name(AccessPolicy.SOURCE_CIDRS).label("Source networks")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("IPv4 or IPv6 networks in CIDR notation (10.0.0.0/8, 2001:db8::/32) or single addresses. The"
                    + " client's address, as Keycloak sees it, must fall in one. Empty: any address.").add()
            .property().name(AccessPolicy.TIME_WINDOWS).label("Time windows")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("Days and hours tokens may be issued, e.g. MON-FRI 06:00-20:00 or SAT,SUN 10:00-14:00."
                    + " Empty: any time.").add()
            .property().name(AccessPolicy.TIME_ZONE).label("Time zone").type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue("UTC").helpText("Zone of the time windows, e.g. Europe/Paris.").add()
            .property().name(AccessPolicy.ALLOWED_AUTH_METHODS).label("Allowed client authentication")
            .type(ProviderConfigProperty.MULTIVALUED_LIST_TYPE).options(List.copyOf(new TreeSet<>(AccessPolicy.AUTH_METHODS)))
            .helpText("Client authenticators that may obtain tokens; choose client-jwt or client-x509 to refuse"
                    + " shared secrets. Empty: any.").add()
            .property().name(AccessPolicy.MAX_SECRET_AGE_DAYS).label("Maximum secret age (days)")
            .type(ProviderConfigProperty.STRING_TYPE)
            .helpText("A client secret older than this is refused; so is one whose creation time Keycloak does not"
                    + " know (set when the secret is generated). Empty: no limit.").add()
            .property().name(AccessPolicy.REQUIRE_REVIEW_CURRENT).label("Require a current review")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false)
            .helpText("Refuse tokens to NHIs whose periodic review is overdue.").add()
            .build();

    private NhiAccessPolicyConfigProperties() {
    }
}
