package dev.nhi.identity.lifecycle;

import dev.nhi.identity.core.Change;
import dev.nhi.identity.core.ChangeType;
import java.time.Instant;
import org.keycloak.models.UserModel;

/** Who performs an operation: a person or service account of Keycloak, or the system itself. */
public record Actor(String id, String name) {
    public static final Actor SYSTEM = new Actor(null, Change.SYSTEM);

    public static Actor of(UserModel user) {
        return new Actor(user.getId(), user.getUsername());
    }

    Change change(ChangeType type, String reason, Instant at) {
        return new Change(type, id, name, reason, at);
    }
}
