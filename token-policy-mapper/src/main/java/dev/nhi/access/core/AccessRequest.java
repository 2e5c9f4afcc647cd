package dev.nhi.access.core;

import java.net.InetAddress;
import java.time.Instant;

/**
 * What the token endpoint knows about one client-credentials request besides the client's record.
 *
 * @param source the client's address as Keycloak sees it (after its proxy-headers setting)
 * @param authMethod the client authenticator that authenticated the request, e.g. {@code client-secret}
 * @param secretCreatedAt when the client's secret was generated, or null when Keycloak does not know
 */
public record AccessRequest(InetAddress source, String authMethod, Instant secretCreatedAt) {
}
