package dev.nhi.identity.lifecycle;

import dev.nhi.identity.notify.NhiMailer;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.ScheduledTask;

/**
 * The lifecycle sweep, run on one node of the cluster per interval. Each realm is swept in its own
 * transaction so that one realm's failure neither rolls back nor stops the others; then its due
 * e-mail notifications go out.
 */
final class NhiLifecycleSweeper implements ScheduledTask {
    private static final Logger LOG = Logger.getLogger(NhiLifecycleSweeper.class);
    private final int batch;

    NhiLifecycleSweeper(int batch) {
        this.batch = batch;
    }

    @Override
    public void run(KeycloakSession session) {
        List<String> realmIds = session.realms().getRealmsStream().map(RealmModel::getId).toList();
        for (String realmId : realmIds) {
            try {
                KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), s -> {
                    RealmModel realm = s.realms().getRealm(realmId);
                    if (realm == null) {
                        return;
                    }
                    s.getContext().setRealm(realm);
                    long started = System.nanoTime();
                    int moved = new IdentityOperations(s, realm).sweep(batch);
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    if (moved > 0) {
                        LOG.infof("realm=%s sweep moved %d records (expired or orphan-suspended) in %d ms",
                                realm.getName(), moved, millis);
                    } else {
                        LOG.debugf("realm=%s sweep moved nothing in %d ms", realm.getName(), millis);
                    }
                });
            } catch (RuntimeException e) {
                LOG.errorf(e, "realm=%s lifecycle sweep failed; next run retries", realmId);
            }
            try {
                NhiMailer.sendDue(session.getKeycloakSessionFactory(), realmId, Instant.now());
            } catch (RuntimeException e) {
                LOG.errorf(e, "realm=%s notifications failed; next run retries", realmId);
            }
        }
    }

    @Override
    public String getTaskName() {
        return "nhi-lifecycle-sweeper";
    }
}
