package dev.nhi.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/** A plain HTTP client for Keycloak's admin API and token endpoint, with timeouts on every call. */
public final class RestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public RestClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A response: status, raw body and the body as JSON (null when it is not JSON). */
    public record Reply(int status, String raw, JsonNode json, HttpResponse<String> response) {
        public JsonNode field(String name) {
            return json == null ? null : json.get(name);
        }

        public String text(String name) {
            JsonNode n = field(name);
            return n == null || n.isNull() ? null : n.asText();
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Reply get(String path, String token) {
        return send("GET", path, token, null);
    }

    public Reply post(String path, String token, Object body) {
        return send("POST", path, token, body);
    }

    public Reply put(String path, String token, Object body) {
        return send("PUT", path, token, body);
    }

    public Reply patch(String path, String token, Object body) {
        return send("PATCH", path, token, body);
    }

    public Reply delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    /** {@code body} is sent as is when it is a String (to send malformed JSON), else as JSON. */
    public Reply send(String method, String path, String token, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : json(body)));
        }
        return exchange(b.build());
    }

    /** A form POST, with HTTP Basic client authentication when {@code clientId} is given. */
    public Reply form(String path, Map<String, String> form, String clientId, String clientSecret) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                        .collect(Collectors.joining("&"))));
        if (clientId != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (encode(clientId) + ":" + encode(clientSecret)).getBytes(StandardCharsets.UTF_8)));
        }
        return exchange(b.build());
    }

    /** A real OAuth 2.0 client-credentials request. */
    public Reply clientCredentials(String realm, String clientId, String secret) {
        return form("/realms/" + realm + "/protocol/openid-connect/token",
                Map.of("grant_type", "client_credentials"), clientId, secret);
    }

    /** A user's access token through the password grant of a public client. */
    public String userToken(String realm, String clientId, String username, String password) {
        Reply r = form("/realms/" + realm + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", clientId, "username", username, "password", password),
                null, null);
        if (r.status() != 200) {
            throw new IllegalStateException("no token for " + username + "@" + realm + ": " + r.status() + " " + r.raw());
        }
        return r.text("access_token");
    }

    /** The master realm administrator's token. */
    public String adminToken() {
        return userToken("master", "admin-cli", KeycloakServer.ADMIN_USER, KeycloakServer.ADMIN_PASSWORD);
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Reply exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), parse(response.body()), response);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
