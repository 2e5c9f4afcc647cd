package dev.nhi.access.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhi.access.core.AccessPolicy;
import dev.nhi.identity.core.InvalidInputException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;

/**
 * Which client profile holds an executor configuration: Keycloak does not tell an executor its
 * profile. Indexed once per distinct value of the realm's stored profiles (a cached realm attribute).
 */
public final class ProfileNames {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_INDEXED = 1024;
    /** Per stored profiles value: fingerprint to its description, built once. */
    private static final Map<String, Map<String, String>> BY_PROFILES = new ConcurrentHashMap<>();

    private ProfileNames() {
    }

    /** {@code <profile>:<fingerprint>}, or just the fingerprint when no stored profile matches. */
    static String describe(RealmModel realm, String fingerprint) {
        String stored = realm.getAttribute(Constants.CLIENT_PROFILES);
        if (stored == null) {
            return fingerprint;
        }
        return indexed(stored).getOrDefault(fingerprint, fingerprint);
    }

    /** Every {@code nhi-access-policy} configuration of the realm's profiles, as {@code <profile>:<fingerprint>}, sorted. */
    public static List<String> all(RealmModel realm) {
        String stored = realm.getAttribute(Constants.CLIENT_PROFILES);
        return stored == null ? List.of() : indexed(stored).values().stream().sorted().toList();
    }

    private static Map<String, String> indexed(String stored) {
        Map<String, String> names = BY_PROFILES.get(stored);
        if (names == null) {
            if (BY_PROFILES.size() >= MAX_INDEXED) {
                BY_PROFILES.clear();
            }
            names = index(stored);
            BY_PROFILES.put(stored, names);
        }
        return names;
    }

    private static Map<String, String> index(String stored) {
        Map<String, String> names = new HashMap<>();
        try {
            for (JsonNode profile : JSON.readTree(stored).path("profiles")) {
                for (JsonNode executor : profile.path("executors")) {
                    if (NhiAccessPolicyExecutorFactory.PROVIDER_ID.equals(executor.path("executor").asText())) {
                        Map<String, Object> config = JSON.convertValue(executor.path("configuration"), Map.class);
                        String fingerprint = AccessPolicy.parse(config == null ? Map.of() : config).fingerprint();
                        names.putIfAbsent(fingerprint, profile.path("name").asText() + ":" + fingerprint);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException | InvalidInputException e) {
            // unreadable profiles name nothing; the fingerprint alone still identifies the configuration
        }
        return names;
    }
}
