package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A third-party OAuth 2.0 client (Nimbus) for one realm: asks for client-credentials tokens as a
 * workload would, and accepts a token only once its RS256 signature checks out against the realm's
 * JWKS, its issuer is the realm and its {@code exp} is still ahead.
 */
final class OAuthClient {
    private static final int TIMEOUT_MILLIS = 60_000;
    private static final int JWKS_SIZE_LIMIT = 64 * 1024;
    private static final String SCOPE_DENIED = "nhi_scope_denied";

    private final URI tokenEndpoint;
    private final DefaultJWTProcessor<SecurityContext> tokens = new DefaultJWTProcessor<>();

    /** @param server how to reach Keycloak, e.g. {@code http://127.0.0.1:8080}; it names the issuer after it */
    OAuthClient(URI server, String realm) {
        this(server, server, realm);
    }

    /** Through {@code server}, for tokens issued under {@code hostname}: a node of a cluster behind one hostname. */
    OAuthClient(URI server, URI hostname, String realm) {
        String endpoints = server + "/realms/" + realm;
        String issuer = hostname + "/realms/" + realm;
        tokenEndpoint = URI.create(endpoints + "/protocol/openid-connect/token");
        try {
            tokens.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, JWKSourceBuilder
                    .create(URI.create(endpoints + "/protocol/openid-connect/certs").toURL(),
                            new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS, JWKS_SIZE_LIMIT))
                    .build()));
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(issuer, e);
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp", "iat", "scope"), null);
        // Not the default minute of leeway: a token whose exp has passed is refused.
        claims.setMaxClockSkew(0);
        tokens.setJWTClaimsSetVerifier(claims);
    }

    /** A client-credentials request authenticated with HTTP Basic, asking for {@code scopes} when any are given. */
    Result clientCredentials(String clientId, String secret, String... scopes) {
        TokenRequest.Builder request = new TokenRequest.Builder(tokenEndpoint,
                new ClientSecretBasic(new ClientID(clientId), new Secret(secret)), new ClientCredentialsGrant());
        if (scopes.length > 0) {
            request.scope(new Scope(scopes));
        }
        HTTPRequest http = request.build().toHTTPRequest();
        http.setConnectTimeout(TIMEOUT_MILLIS);
        http.setReadTimeout(TIMEOUT_MILLIS);
        HTTPResponse response;
        try {
            response = http.send();
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + tokenEndpoint + " failed", e);
        }
        try {
            TokenResponse parsed = TokenResponse.parse(response);
            if (!parsed.indicatesSuccess()) {
                ErrorObject error = parsed.toErrorResponse().getErrorObject();
                return new Result(response.getStatusCode(), error, null, null, null, 0);
            }
            AccessToken token = parsed.toSuccessResponse().getTokens().getAccessToken();
            return new Result(response.getStatusCode(), null, token.getValue(), tokens.process(token.getValue(), null),
                    token.getScope(), token.getLifetime());
        } catch (ParseException e) {
            throw new AssertionError("not an OAuth 2.0 token response: " + response.getStatusCode() + " "
                    + response.getBody(), e);
        } catch (BadJOSEException | JOSEException | java.text.ParseException e) {
            throw new AssertionError("the issued token does not verify: " + e.getMessage(), e);
        }
    }

    /**
     * The token endpoint's answer: an {@code error} or a verified token, its response {@code scope} and
     * {@code expires_in}.
     */
    record Result(int status, ErrorObject error, String accessToken, JWTClaimsSet claims, Scope scope,
                  long expiresIn) {

        boolean issued() {
            return error == null;
        }

        Result assertIssued() {
            assertThat(issued()).as("HTTP %d, %s", status, issued() ? null : error.toJSONObject()).isTrue();
            assertThat(status).isEqualTo(200);
            return this;
        }

        /**
         * The contract's refusal: 400, {@code unauthorized_client} ({@code invalid_scope} for a scope) and a
         * description that starts with {@code <code>:}.
         */
        Result assertDenied(String code) {
            assertThat(issued()).as("HTTP %d, expected %s", status, code).isFalse();
            assertThat(status).as(error.toJSONObject().toString()).isEqualTo(400);
            assertThat(error.getCode()).isEqualTo(code.equals(SCOPE_DENIED) ? "invalid_scope" : "unauthorized_client");
            assertThat(error.getDescription()).startsWith(code + ":");
            return this;
        }

        /** The verified token's {@code scope} claim, split. */
        List<String> tokenScopes() {
            try {
                return List.of(claims.getStringClaim("scope").split(" "));
            } catch (java.text.ParseException e) {
                throw new AssertionError("the scope claim is not a string", e);
            }
        }

        /** {@code exp - iat} in seconds. */
        long lifetime() {
            return claims.getExpirationTime().toInstant().getEpochSecond()
                    - claims.getIssueTime().toInstant().getEpochSecond();
        }

        /** The {@code nhi} claim, or null when the token has none. */
        Map<String, Object> nhi() {
            try {
                return claims.getJSONObjectClaim("nhi");
            } catch (java.text.ParseException e) {
                throw new AssertionError("the nhi claim is not a JSON object", e);
            }
        }
    }
}
