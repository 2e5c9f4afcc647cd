package dev.nhi.identity.rest;

import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.lifecycle.Actor;
import dev.nhi.identity.lifecycle.IdentitySetupStep;
import jakarta.ws.rs.ForbiddenException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * What the authenticated caller may do in the target realm. Identity management is separate from
 * client management: {@code manage-clients} grants nothing here. Writers hold {@code nhi-admin} in
 * this realm or are its administrators ({@code realm-admin}, or the master realm's admins); readers
 * also include {@code nhi-auditor}; an owner reads and reviews their own records.
 */
public final class Caller {
    private final boolean realmAdmin;
    private final boolean writer;
    private final boolean reader;
    /** The user (or service account) behind the token, of whichever realm. */
    private final UserModel actingUser;
    /** The same user when it belongs to the target realm; only such a user can own records there. */
    private final UserModel user;
    /** The realm the caller logged in to: its admin console is the caller's. */
    private final String loginRealm;

    private Caller(boolean realmAdmin, boolean writer, boolean reader, UserModel actingUser, UserModel user,
                   String loginRealm) {
        this.realmAdmin = realmAdmin;
        this.writer = writer;
        this.reader = reader;
        this.actingUser = actingUser;
        this.user = user;
        this.loginRealm = loginRealm;
    }

    static Caller of(AdminPermissionEvaluator auth, RealmModel realm) {
        AdminAuth adminAuth = auth.adminAuth();
        // Realm roles count only for users of the target realm: a master user's "nhi-admin" is another role.
        boolean sameRealm = adminAuth.getRealm().getId().equals(realm.getId());
        boolean realmAdmin = auth.isRealmAdmin();
        boolean writer = realmAdmin || sameRealm && adminAuth.hasRealmRole(IdentitySetupStep.ADMIN_ROLE);
        boolean reader = writer || sameRealm && adminAuth.hasRealmRole(IdentitySetupStep.AUDITOR_ROLE);
        return new Caller(realmAdmin, writer, reader, adminAuth.getUser(), sameRealm ? adminAuth.getUser() : null,
                adminAuth.getRealm().getName());
    }

    public String loginRealm() {
        return loginRealm;
    }

    public Actor actor() {
        return Actor.of(actingUser);
    }

    public boolean canRead() {
        return reader;
    }

    /** A user of this realm, when the caller is one (owners are always users of the realm). */
    public String userId() {
        return user == null ? null : user.getId();
    }

    public void requireRealmAdmin() {
        if (!realmAdmin) {
            throw new ForbiddenException("requires the realm's administrator role (realm-admin)");
        }
    }

    public void requireWrite() {
        if (!writer) {
            throw new ForbiddenException("requires the realm role nhi-admin or realm-admin");
        }
    }

    public void requireRead() {
        if (!reader) {
            throw new ForbiddenException("requires the realm role nhi-auditor, nhi-admin or realm-admin");
        }
    }

    public void requireReadOf(NhiRecord record) {
        if (!reader && !isOwner(record)) {
            throw new ForbiddenException("requires nhi-auditor, nhi-admin, realm-admin, or ownership of the record");
        }
    }

    public void requireReviewOf(NhiRecord record) {
        if (!writer && !isOwner(record)) {
            throw new ForbiddenException("requires nhi-admin, realm-admin, or ownership of the record");
        }
    }

    public boolean canWrite() {
        return writer;
    }

    public boolean isOwner(NhiRecord record) {
        return user != null && user.getId().equals(record.ownerId());
    }
}
