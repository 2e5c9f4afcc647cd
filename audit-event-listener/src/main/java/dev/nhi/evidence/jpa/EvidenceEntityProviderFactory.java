package dev.nhi.evidence.jpa;

import dev.nhi.identity.jpa.TablesProviderFactory;
import java.util.List;

/**
 * The outbox, the chained records awaiting their sinks, and the chain heads (history
 * {@code DATABASECHANGELOG_NHI_EVIDEN}). Only the heads are entities: {@link EvidenceStore} reaches the
 * other two tables with plain JDBC.
 */
public final class EvidenceEntityProviderFactory extends TablesProviderFactory {
    public static final String PROVIDER_ID = "nhi-evidence";

    public EvidenceEntityProviderFactory() {
        super(PROVIDER_ID, "META-INF/nhi-evidence-changelog-master.xml",
                List.of(ChainHeadEntity.class));
    }
}
